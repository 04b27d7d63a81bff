/// The demo's knowledge articles and canned responses.
extension DemoText {
    struct Article {
        let title: String
        let body: String
        let language: String
        var published = true
        var staffOnly = false
        /// The title of the article this one translates.
        var translates: String? = nil
    }

    static let articles = [
        Article(title: "Controller restarts at night: move the log rotation",
                body: "If your Atlas controller restarts around 02:00, the nightly log rotation is holding a lock too long.\n\nOpen Settings > Maintenance and move the rotation to 04:00. The fix ships in 5.0.0.",
                language: "en"),
        Article(title: "Exporting the audit log",
                body: "Go to Administration > Audit, choose the dates and press Export. The file is CSV, one event per line, times in UTC.",
                language: "en"),
        Article(title: "VPN tunnel drops under heavy traffic",
                body: "Beacon gateways before 3.0 can drop a site-to-site tunnel above 400 Mbit/s. Until you upgrade, cap the tunnel at 350 Mbit/s under Traffic > Shaping.",
                language: "en"),
        Article(title: "El controlador se reinicia de noche: mover la rotación de registros",
                body: "Si su controlador Atlas se reinicia hacia las 02:00, la rotación nocturna de registros bloquea demasiado tiempo.\n\nAbra Ajustes > Mantenimiento y mueva la rotación a las 04:00.",
                language: "es", translates: "Controller restarts at night: move the log rotation"),
        Article(title: "Reading a watchdog crash dump",
                body: "Internal: the dump's last frame names the task that held the lock. 'logrotate' means the known problem; anything else goes to engineering.",
                language: "en", staffOnly: true),
        Article(title: "Licence shows expired after renewal", body: "Draft: the licence server caches for 24 h; a manual refresh is under Licensing > Refresh.",
                language: "en", published: false),
    ]

    /// Spanish for the Hardware fault category, its intake form and the known problem's workaround; the rest of the
    /// form stays English, so the translations page has work to show.
    static let spanish: [(kind: String, field: String, text: String)] = [
        ("category", "name", "Avería de hardware"),
        ("intake", "shows_error.label", "¿El equipo muestra un error?"),
        ("intake", "shows_error.why", "Un código de error señala la pieza que falla."),
        ("intake", "error_code.label", "Código de error"),
        ("intake", "error_code.why", "Cada código indica una pieza, así el técnico trae el repuesto adecuado."),
        ("intake", "tried.label", "¿Qué ha probado ya?"),
        ("intake", "tried.why", "Para no pedirle nunca que lo repita."),
        ("problem", "workaround", "Mueva la rotación de registros a las 04:00 en Ajustes > Mantenimiento."),
    ]

    /// A later customer-visible update, so the demo has time between updates to measure.
    static let update = "A quick update: engineering has confirmed the cause and is testing the fix. We will write again as soon as it is scheduled."

    static let canned = [
        ("Thanks, we are on it", "en", "Hello {{customer.first_name}},\n\nThank you for reporting this. We are looking into {{case.reference}} and will update you within the day."),
        ("Please send the diagnostics", "en", "Hello {{customer.first_name}},\n\nCould you send the output of 'diag system status' taken while the problem happens? It tells us which part is failing."),
        ("Gracias, lo estamos revisando", "es", "Hola {{customer.first_name}}:\n\nGracias por avisarnos. Estamos revisando {{case.reference}} y le informaremos hoy mismo."),
    ]
}
