import Fluent
import Vapor

/// The schema history, in order; both databases run the same list.
enum Migrations {
    static func register(on app: Application) {
        app.migrations.add(CreateOrganisations())
        app.migrations.add(CreateUsers())
        app.migrations.add(CreateGroups())
        app.migrations.add(CreateCatalog())
        app.migrations.add(CreateCustomFields())
        app.migrations.add(CreateCases())
        app.migrations.add(CreateMessages())
        app.migrations.add(CreateAccessRecords())
        app.migrations.add(CreateSearchIndex())
        app.migrations.add(SessionRecord.migration)
        app.migrations.add(CreateInboundMessages())
        app.migrations.add(CreateJobs())
        app.migrations.add(CreateServiceLevels())
        app.migrations.add(CreateAutomationRules())
        app.migrations.add(CreateOutbox())
        app.migrations.add(AddInboundRaw())
        app.migrations.add(CreateAssets())
        app.migrations.add(CreateMaintenance())
        app.migrations.add(CreateParts())
        app.migrations.add(CreateMonitoringAndCalls())
        app.migrations.add(AddTone())
        app.migrations.add(CreateSatisfaction())
        app.migrations.add(CreateKnowledge())
        app.migrations.add(CreateProblems())
        app.migrations.add(CreateRCAReports())
        app.migrations.add(CreateEarlyWarnings())
        app.migrations.add(CreateReportRollups())
        app.migrations.add(CreateIntakeAndCanned())
        app.migrations.add(AddQueueIndexes())
        app.migrations.add(AddCatalogRetirement())
        app.migrations.add(AddSearchPending())
        app.migrations.add(AddPendingTerms())
        app.migrations.add(CreateWebSessions())
        app.migrations.add(AddDashboardFigures())
        app.migrations.add(CreateReportRecipients())
        app.migrations.add(CreateWebhooks())
    }
}
