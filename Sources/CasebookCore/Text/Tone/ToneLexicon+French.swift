/// French: anger, frustration and thanks as customers write them; "n'", "l'" and "qu'" are read as words.
extension ToneLexicon {
    static let french: ToneLexicon = {
        var lexicon = Builder(.french)
        lexicon.add(.angry, 3, """
            inacceptable, inadmissible, scandaleux, scandaleuse, scandale, honteux, honteuse, une honte, c'est une honte, lamentable, \
            ridicule, ridicules, escroquerie, arnaque, escrocs, incompétent, incompétents, incompétente, incompétence, nul, nuls, \
            nulle, n'importe quoi, avocat, avocats, action en justice, poursuites, porter plainte, résilier, résilier le contrat, \
            résilier notre contrat, résiliation, changer de prestataire, aller voir ailleurs, la concurrence, plus jamais, marre, \
            j'en ai marre, on en a marre, ras le bol, la goutte d'eau, furieux, furieuse, révoltant, révoltée, révolté, insupportable, \
            intolérable, inqualifiable, catastrophique, désastreux, désastreuse, le pire, mensonge, mensonges, menteurs, \
            foutage de gueule, bordel, merde, vous vous moquez, on se moque, se moquer de nous, se moque de nous, manque de respect, \
            comble, c'est un comble, se moquer du monde, abusif, abusive, outrés, outrées, j'en ai assez, nous en avons assez, \
            on en a assez, résilions, résilierons, résilie, absurde, plus aucune excuse, mépris, c'est une blague, une blague, trop c'est trop, ça suffit, exaspéré, exaspérée, exaspérant, indigné, indignée, \
            outré, outrée, écœuré, écœurée, honte, pitoyable, minable, amateurisme, amateurs, inadmissibles, lamentables, \
            non professionnel, peu professionnel, négligence, aberrant, hallucinant, délirant, je suis à bout, à bout, \
            perdre un client, perdu un client, nous partirons, nous allons partir, mettre fin au contrat, dernière fois
            """)
        lexicon.add(.angry, 2, """
            en colère, colère, fâché, fâchée, fâchés, exige, j'exige, nous exigeons, exigeons, exiger, immédiatement, \
            sur le champ, tout de suite, remboursement, rembourser, remboursez, dédommagement, compensation, indemnisation, \
            votre responsable, un responsable, votre supérieur, un supérieur, votre direction, réclamation, réclamation officielle, \
            plainte, escalader, terrible, horrible, affreux, affreuse, catastrophe, désastre, inutile, inutiles, nous payons, \
            on paie, on paye, payons, sans prévenir, sans aucun avertissement, sans avertissement, facturé deux fois, \
            prélevé deux fois, vous aviez promis, promis, votre faute, explication, des explications, troisième panne, \
            excuse, excuses, aujourd'hui même, avant ce soir, avant demain, urgentissime, inadmissible, pire
            """)
        lexicon.add(.frustrated, 2, """
            frustrant, frustré, frustrée, frustrés, frustration, agaçant, agacé, agacée, énervant, énervé, énervée, déçu, déçue, \
            déçus, décevant, décevante, déception, encore une fois, une fois de plus, toujours pas, toujours rien, toujours le même, \
            toujours la même, toujours aucune, toujours aucun, ne marche toujours pas, ne fonctionne toujours pas, toujours en attente, \
            pas de réponse, aucune réponse, sans réponse, personne ne répond, personne ne nous répond, personne ne m'a, \
            personne ne nous a, aucun retour, pas de retour, sans nouvelles, aucune nouvelle, pas de nouvelles, j'attends toujours, \
            nous attendons toujours, on attend toujours, toujours en train d'attendre, en attente depuis, je relance, nouvelle relance, \
            relancer, relance, depuis des jours, depuis des semaines, plusieurs fois, à chaque fois, chaque fois, tous les jours, \
            tous les matins, ça recommence, recommence, est revenu, est revenue, même problème, le même problème, la même erreur, \
            le même souci, tourner en rond, on tourne en rond, perdre du temps, perte de temps, on perd du temps, je perds du temps, \
            je ne sais plus, ne sais plus quoi faire, fatigué, fatiguée, lassé, lassée, combien de temps, encore combien, trop long, \
            ça traîne, traîne, hélas, inquiet, inquiète, désespéré, désespérée, pénible, galère, la troisième fois, la deuxième fois, \
            troisième fois, deuxième fois, trois fois, deux fois, n'a rien changé, rien n'a changé, n'a pas aidé, n'a servi à rien, \
            sans solution, aucune solution, des nouvelles, du nouveau, quelqu'un, il y a quelqu'un, toujours bloqué, toujours bloqués, \
            insatisfait, insatisfaite, mécontent, mécontente, mécontents, pas normal, ce n'est pas normal, vraiment dommage, \
            ma patience, à bout de patience, à nouveau, encore et encore, sans suite, resté sans suite, rouvrir, rouvert, personne n'a, je commence à perdre, \
            semaine dernière déjà, déjà signalé, déjà signalée, déjà fait, j'ai déjà, nous avons déjà, on a déjà
            """)
        // Persistence: with a fault word ("plante encore", "toujours en panne") it makes frustration, alone it does not.
        lexicon.add(.frustrated, 1.5, "toujours, encore, de nouveau, à nouveau, persiste, persistent, revient, chaque nuit, chaque lundi, chaque matin, dommage")
        lexicon.add(.frustrated, 2, """
            des jours, des semaines, perdons beaucoup de temps, perdons du temps, perds patience, je perds patience, j'attendais, \
            désespérant, débordé, débordée, toujours aussi, rien de ce que, où en est ma demande, personne ne me dit rien, \
            déjà arrivé, ne se reproduirait pas, deuxième semaine, encore une semaine, réexpliquer, tout réexpliquer, \
            on nous fait attendre, traîner, les mêmes problèmes, mêmes problèmes, redemande encore, la même panne
            """)
        lexicon.add(.frustrated, 1, """
            cela fait, ça fait, trois jours, deux jours, une semaine, deux semaines, où en est, malheureusement, retard, en retard, \
            pourquoi, pire, \
            n'a pas fonctionné, n'a pas marché, sans succès, attente, attendre, j'attends, nous attendons, on attend, mauvais, mal
            """)
        lexicon.fault("""
            panne, en panne, erreur, erreurs, bug, bogue, plante, plantage, planté, crash, clignote, se ferme, se ferme toute seule, \
            se ferme tout seul, ne marche pas, ne marche plus, \
            ne fonctionne pas, ne fonctionne plus, ne démarre pas, ne démarre plus, ne s'allume pas, n'imprime pas, n'imprime plus, \
            ne répond pas, ne répond plus, ne charge pas, ne se connecte pas, ne se charge pas, impossible de, impossible, \
            je ne peux pas, je ne peux plus, nous ne pouvons pas, nous ne pouvons plus, on ne peut pas, on ne peut plus, bloqué, \
            bloquée, bloqués, bloque, lent, lente, lenteur, lenteurs, coupure, coupures, coupé, coupée, déconnecte, se déconnecte, \
            déconnexion, déconnexions, hors service, hors ligne, échec, échoue, échoué, a échoué, problème, problèmes, souci, \
            soucis, incident, défaillant, défaillance, défectueux, défectueuse, cassé, cassée, fige, se fige, figé, figée, gelé, \
            redémarre, écran bleu, perdu, perdus, perdue, manquant, manquants, corrompu, corrompue, tombe, tombé, tombée, \
            est tombé, n'arrive pas, n'arrivons pas, ne s'ouvre pas, ne s'affiche pas, ne passe pas, ne passe plus, plus accès, \
            pas accès, refusé, refuse, ne reçois pas, ne recevons pas, n'apparaît pas, n'apparaît plus, disparu, disparue
            """)
        lexicon.add(.positive, 3, """
            merci beaucoup, merci infiniment, mille mercis, un grand merci, grand merci, excellent, excellente, parfait, parfaite, \
            parfaitement, génial, géniale, formidable, fantastique, superbe, impeccable, remarquable, bravo, chapeau, au top, \
            ravi, ravie, ravis, très satisfait, très satisfaite, vous êtes les meilleurs, du bon travail, beau travail, \
            merveilleux, merveilleuse, extra, top, merci mille fois, un grand bravo, félicitations, irréprochable, exemplaire, \
            vous m'avez sauvé, vous nous avez sauvés, efficacité remarquable, bon travail, très bon travail, grande qualité, \
            ça fait plaisir, fait plaisir, ça fait la différence, fait la différence
            """)
        lexicon.add(.positive, 2, """
            apprécié, appréciée, apprécions, revenu à la normale, de qualité, remercier, merci, remercie, je vous remercie, remerciements, reconnaissant, reconnaissante, reconnaissants, aimable, sympathique, \
            sympa, réactif, réactive, réactivité, efficace, efficaces, efficacité, professionnel, professionnelle, professionnalisme, \
            utile, content, contente, contents, satisfait, satisfaite, satisfaits, résolu, résolue, réglé, réglée, \
            fonctionne à nouveau, remarche, marche à nouveau, rentré dans l'ordre, tout fonctionne, ça marche, ça fonctionne, \
            fonctionne parfaitement, fonctionne bien, marche bien, bonne nouvelle, plaisir, agréable, très bien, nickel, \
            super, rapide, rapidement, rapidité, heureux, heureuse, soulagé, soulagée, précieuse, précieux, aide précieuse, \
            tout est ok, tout est bon, c'est bon, réparé, réparée
            """)
        return lexicon.lexicon(
            negations: "ne, pas, jamais, rien, aucun, aucune, sans, ni, guère",
            intensifiers: """
                très, vraiment, totalement, complètement, absolument, tellement, si, trop, extrêmement, profondément, \
                particulièrement, franchement, carrément, énormément, super
                """,
            reassurances: """
                n'hésitez pas, ne vous inquiétez pas, pas de souci, pas de soucis, pas de problème, aucun problème, sans problème, \
                pas grave, rien de grave, pas d'urgence, pas urgent, rien d'urgent, sans urgence, aucun souci
                """,
            courtesies: "merci d'avance, merci par avance, d'avance merci, par avance merci, merci de, merci pour votre retour, en vous remerciant par avance, en vous remerciant, bien à vous, bien cordialement, cordialement",
            calm: "bonjour, cordialement, salutations, madame, monsieur, joint, jointe, pièce, journal, journaux, log, logs, capture, version, détails, bonsoir",
            emphatic: """
                maintenant, pourquoi, jamais, encore, toujours, assez, immédiatement, urgent, aujourd'hui, rien, personne, pas, \
                non, stop, tout, de, suite, marche, fonctionne, inacceptable, rembourser, exige
                """)
    }()
}
