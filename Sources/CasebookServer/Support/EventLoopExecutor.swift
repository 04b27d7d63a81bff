import NIOCore
import NIOPosix

/// A Swift task executor that runs its jobs on one NIO event loop.
///
/// `casebook` installs NIO's event loops as Swift's global executor, and NIO keeps a task on the loop that started
/// it (no thread hop per request). The price is that work started from one loop (a task group's lanes, a read-ahead)
/// all lands on that loop, so a background job that wants both cores has to name the other loop: a task or child
/// task started with one of these as its executor preference runs there, and comes back there after every wait.
final class EventLoopExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        loop.execute { job.runSynchronously(on: executor) }
    }

    /// One executor per loop of the group the app runs on (Vapor's default, NIO's singleton group), made once.
    static let all: [EventLoopExecutor] = MultiThreadedEventLoopGroup.singleton.makeIterator().map(EventLoopExecutor.init)

    /// The executor for lane `index` of work spread over the cores, taking turns.
    static func lane(_ index: Int) -> EventLoopExecutor { all[index % all.count] }

    /// A thread of its own for long bulk writes (a service-level sweep's batches): while one runs, the event loops stay
    /// free for requests and for planning the next batch, and the kernel shares the cores between them.
    static let bulkWrites = EventLoopExecutor(bulkWriteThread.next())

    // Lives as long as the process, like NIO's own singleton group.
    private static let bulkWriteThread = MultiThreadedEventLoopGroup(numberOfThreads: 1)
}
