import Vapor

extension CasebookApp {
    /// Stops a serving instance without dropping acknowledged work, in the order a load balancer needs:
    /// `/healthz` answers 503 for the drain time while everything is still served, so the balancer takes the instance
    /// out; then the HTTP server stops accepting and finishes the requests in flight; then the SMTP listener finishes
    /// its transactions and the job runner its jobs, releasing the lease of any it must cut.
    public static func stopGracefully(_ app: Application) async {
        let configuration = app.casebook.configuration
        app.readiness.beginStopping()
        // Case pages' event streams would hold the HTTP server open for minutes: they end now and reconnect elsewhere.
        app.casebook.store.caseChanges.wakeAll()
        app.logger.notice("stopping", metadata: ["drain": "\(configuration.stopDrain)", "grace_seconds": "\(configuration.stopGraceSeconds)"])
        if configuration.stopDrain > .zero {
            try? await Task.sleep(for: configuration.stopDrain)
        }
        await app.server.shutdown()
        await app.backgroundWork.stop(app, grace: .seconds(configuration.stopGraceSeconds))
        app.logger.notice("stopped: requests, mail and jobs in flight finished")
    }
}
