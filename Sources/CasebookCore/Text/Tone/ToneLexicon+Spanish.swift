/// Spanish: anger, frustration and thanks as customers write them, in Spain and Latin America.
extension ToneLexicon {
    static let spanish: ToneLexicon = {
        var lexicon = Builder(.spanish)
        lexicon.add(.angry, 3, """
            inaceptable, inadmisible, vergüenza, una vergüenza, vergonzoso, vergonzosa, indignante, indignado, indignada, indignados, \
            ridículo, ridícula, estafa, estafadores, timo, harto, harta, hartos, hartas, basura, inútiles, inútil, incompetentes, \
            incompetente, incompetencia, denuncia, denunciar, abogado, abogados, acciones legales, vía legal, medidas legales, \
            cancelar el contrato, rescindir el contrato, cancelaremos, nos vamos a la competencia, la competencia, otro proveedor, \
            cambiar de proveedor, nunca más, es una broma, una broma, tomadura de pelo, tomando el pelo, pésimo, pésima, pésimos, \
            lamentable, un desastre, vergüenza ajena, intolerable, furioso, furiosa, furiosos, mentira, mentiras, mentirosos, \
            nos mintieron, me mintieron, el colmo, es el colmo, hasta aquí, se acabó, basta ya, ya basta, no hay derecho, \
            falta de respeto, libro de reclamaciones, hoja de reclamaciones, reclamación formal, queja formal, impresentable, \
            una tomadura, nos toman por tontos, cachondeo, chapuza, chapuceros, indecente, abusivo, abuso, descaro, qué desastre, \
            me tienen harto, me tienen harta, de risa, dejar de ser clientes, darnos de baja, daremos de baja, nos daremos de baja, \
            no pienso pagar, absurdo, absurda, menudo servicio, servicio de pena, más excusas, no acepto, no aceptamos, \
            responsabilidades, una estafa, escandaloso, escándalo, ineptos, inepto, negligencia, poco profesional
            """)
        lexicon.add(.angry, 2, """
            enfadado, enfadada, enfadados, enojado, enojada, enojados, cabreado, cabreada, exijo, exigimos, exigir, inmediatamente, \
            ya mismo, de inmediato, reembolso, devolución del dinero, compensación, indemnización, su responsable, su jefe, \
            un supervisor, un responsable, hablar con un responsable, hablar con alguien responsable, queja, reclamación, escalar, \
            terrible, horrible, fatal, nefasto, nefasta, pagamos, estamos pagando, lo que pagamos, sin avisar, sin previo aviso, \
            cobraron dos veces, cobro indebido, nos prometieron, me prometieron, prometieron, su culpa, culpa suya, explicaciones, \
            una explicación, excusas, por escrito, tercera caída, hoy mismo, antes de mañana, urgente ya, desastre
            """)
        lexicon.add(.frustrated, 2, """
            frustrante, frustrado, frustrada, frustrados, frustración, molesto, molesta, molestos, decepcionado, decepcionada, \
            decepcionados, decepción, decepcionante, otra vez, una vez más, todavía no, aún no, sigue sin, siguen sin, sigue igual, \
            sigue fallando, sigue pasando, sin respuesta, nadie responde, nadie contesta, nadie nos responde, nadie me responde, \
            nadie me ha, nadie nos ha, ninguna respuesta, no hemos recibido respuesta, no he recibido respuesta, seguimos esperando, \
            sigo esperando, llevo esperando, llevamos esperando, esperando respuesta, días sin, semanas sin, varias veces, \
            muchas veces, cada vez, cada día, vuelve a pasar, ha vuelto a pasar, ha vuelto a, volvió a, el mismo problema, \
            el mismo error, lo mismo de siempre, no sé qué más hacer, ya no sé qué hacer, estoy cansado, estoy cansada, \
            cansado de, cansada de, cansados de, perdiendo tiempo, perdemos tiempo, pérdida de tiempo, no avanzamos, sin solución, \
            ninguna solución, alguna novedad, alguna noticia, hay novedades, hay alguien, insisto, insistir, de nuevo lo mismo, \
            demasiado tiempo, cuánto tiempo, cuánto más, preocupado, preocupada, agobiado, agobiada, desesperado, desesperada, \
            desesperante, sin noticias, tercera vez, segunda vez, cuarta vez, tres veces, dos veces, no ha servido, no sirvió, \
            no ha servido de nada, no lo han solucionado, no se ha solucionado, sin resolver, sin arreglar, nadie, tardan mucho, \
            tardando mucho, molestia, molestias, qué pasa, qué está pasando, no entiendo por qué, es la segunda, es la tercera, \
            sigo sin, seguimos sin, todavía sin, aún sin, ya van, van ya, llevamos días, llevo días, llevamos semanas, llevo semanas, \
            no me han, no nos han, no nos habéis, no me habéis, perdido la paciencia, mi paciencia, se me acaba la paciencia, ni una respuesta, nadie hace nada, \
            otra semana, una semana, dando vueltas, vueltas, reabrir, reabierto, insatisfecho, insatisfecha, descontento, descontenta
            """)
        // Persistence: with a fault word ("sigue parpadeando", "de nuevo caído") it makes frustration, alone it does not.
        lexicon.add(.frustrated, 1.5, "todavía, aún, de nuevo, sigue, siguen, persiste, persisten, nuevamente")
        lexicon.add(.frustrated, 2, """
            vuelve a, vuelven a, volvió a, perdiendo mucho tiempo, perdemos mucho tiempo, perdiendo la paciencia, dando largas, \
            nos dan largas, se está alargando, alargando, es una pena, ya lo reporté, ya lo he reportado, ya lo reportamos, \
            ya lo dije, ya lo avisé, ya pasó, no volvería a ocurrir, no volvería a pasar, he probado todo, hemos probado todo, \
            no ha funcionado nada, mismos problemas, misma incidencia, mismo fallo, la misma avería, como la semana pasada, \
            como siempre igual, otra semana más, no hay manera
            """)
        lexicon.add(.frustrated, 1, """
            siempre, pena, lamentablemente, desgraciadamente, por desgracia, tarde, retraso, \
            retrasos, mal, peor, por qué, esperando, espera, tardan, tardando, no ha funcionado, no funcionó, \
            no ayudó, no ha ayudado, no sé por qué, días, semanas
            """)
        lexicon.fault("""
            falla, fallo, fallos, falló, fallando, error, errores, caído, caída, caídas, se cae, se caen, se ha caído, no funciona, \
            no funcionan, no funciona bien, no va bien, no va, dejó de funcionar, ha dejado de funcionar, no arranca, no enciende, \
            no imprime, no carga, no conecta, no se conecta, no puedo, no podemos, no pueden, bloqueado, bloqueada, se bloquea, \
            se cuelga, colgado, lenta, avería, averiado, averiada, roto, rota, problema, problemas, incidencia, incidencias, \
            se desconecta, desconecta, sin conexión, sin servicio, corrupto, dañado, pantalla azul, se reinicia, reinicia, \
            no responde, no aparece, no llega, no llegan, no recibo, no recibimos, perdido, perdidos, perdida, falta, faltan, \
            colgándose, cerrándose, se cierra, se cierra sola, parpadeando, parpadea, bloqueándose, reiniciándose, fallar, \
            cortando, se corta, se cortan, lento, no abre, no se abre, no guarda, no sincroniza, no me deja, no nos deja, desaparecido, desaparecen, bug
            """)
        lexicon.add(.positive, 3, """
            muchas gracias, muchísimas gracias, mil gracias, infinitas gracias, excelente, genial, fantástico, fantástica, \
            estupendo, estupenda, maravilloso, maravillosa, perfecto, perfecta, buenísimo, magnífico, magnífica, impecable, \
            de lujo, un lujo, encantado, encantada, encantados, se lo agradezco mucho, os lo agradezco mucho, muy agradecido, \
            muy agradecida, muy agradecidos, de diez, un diez, sois los mejores, son los mejores, gran trabajo, buen trabajo, \
            enhorabuena, felicidades, felicitaciones, increíble trabajo, sois unos cracks, un crack, de maravilla, salvado el día, \
            nos habéis salvado, me habéis salvado, da gusto, qué buen servicio, a la primera, qué rapidez, sobresaliente, espectacular, estupendamente, perfectamente
            """)
        lexicon.add(.positive, 2, """
            gracias, agradezco, agradecemos, agradecido, agradecida, agradecidos, amable, amables, amabilidad, rapidez, atento, \
            atenta, profesional, profesionales, profesionalidad, útil, contento, contenta, contentos, \
            satisfecho, satisfecha, satisfechos, ya funciona, funciona perfectamente, vuelve a funcionar, funciona bien, todo funciona, solucionado, \
            solucionada, resuelto, resuelta, arreglado, arreglada, todo bien, todo correcto, todo en orden, buenas noticias, \
            muy bien, un placer, eficaz, eficiente, eficientes, genial gracias, rápida respuesta, respuesta rápida, buen servicio, \
            gran ayuda, de gran ayuda, su ayuda, vuestra ayuda, me alegra, nos alegra, contentísimo, feliz, felices, gusto, encantador
            """)
        lexicon.add(.positive, 1, "rápido, rápida, rápidamente, bien")
        return lexicon.lexicon(
            negations: "no, nunca, jamás, ni, tampoco, sin, nada, ningún, ninguna, ninguno",
            intensifiers: """
                muy, totalmente, realmente, absolutamente, completamente, tan, súper, super, sumamente, extremadamente, bastante, \
                muchísimo, increíblemente, verdaderamente, profundamente, enormemente
                """,
            reassurances: """
                sin problema, sin problemas, no hay problema, ningún problema, no hay prisa, sin prisa, no corre prisa, no se preocupe, \
                no te preocupes, no se preocupen, no pasa nada, no es urgente, nada urgente
                """,
            courtesies: "gracias de antemano, gracias por adelantado, desde ya gracias, muchas gracias de antemano, gracias por su tiempo, gracias por revisarlo, un saludo, saludos cordiales, atentamente",
            calm: "saludos, saludo, hola, buenos, buenas, estimados, estimado, adjunto, adjunta, adjuntos, registro, registros, log, logs, captura, versión, detalles, atentamente, cordialmente",
            emphatic: """
                ya, ahora, nunca, otra, vez, todavía, nadie, qué, hoy, inmediatamente, exijo, basta, no, sigue, mismo, siempre, \
                nada, por, favor, urgente, arreglen, solucionen, quiero
                """)
    }()
}
