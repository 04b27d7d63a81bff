import Vapor

/// Every controller, and which of them need a signed-in caller.
func routes(_ app: Application) throws {
    let document = try Data(contentsOf: Bundle.module.url(forResource: "openapi", withExtension: "json")!)
    try app.register(collection: OperationsController(openAPIDocument: document))

    let api = app.grouped("api", "v1").grouped(app.sessions.middleware)
    let signedIn = api.grouped(ActorAuthenticator())
    try api.register(collection: SessionController())
    try signedIn.register(collection: MeController())
    try signedIn.register(collection: CaseController())
    try signedIn.register(collection: MessageController())
    try signedIn.register(collection: UserController())
    try signedIn.register(collection: OrganisationController())
    try signedIn.register(collection: GroupController())
    try signedIn.register(collection: CatalogController())
    try signedIn.register(collection: CustomFieldController())
    try signedIn.register(collection: TokenController())
    try signedIn.register(collection: InboundEmailController())
    try signedIn.register(collection: JobController())
    try signedIn.register(collection: CalendarController())
    try signedIn.register(collection: SLAPolicyController())
    try signedIn.register(collection: ContractController())
    try signedIn.register(collection: CaseSLAController())
    try signedIn.register(collection: AutomationController())
    try signedIn.register(collection: OutboundEmailController())
}
