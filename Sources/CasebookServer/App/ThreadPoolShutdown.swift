import NIOPosix
import Vapor

/// Stops a thread pool `configure` started when the application shuts down, whether it ran or failed to start.
struct ThreadPoolShutdown: LifecycleHandler {
    let pool: NIOThreadPool

    func shutdownAsync(_ application: Application) async {
        try? await pool.shutdownGracefully()
    }
}
