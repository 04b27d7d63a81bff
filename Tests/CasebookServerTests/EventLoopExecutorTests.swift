@testable import CasebookServer
import NIOCore
import NIOPosix
import Testing

@Suite("Event loop executors: work placed on a chosen loop stays there")
struct EventLoopExecutorTests {
    @Test("a task preferring a loop's executor runs on that loop, and is back on it after each wait")
    func taskRunsOnItsLoop() async throws {
        for executor in EventLoopExecutor.all {
            let stayed = await Task(executorPreference: executor) { () -> [Bool] in
                var seen = [executor.loop.inEventLoop]
                for _ in 0..<3 {
                    // A wait resumed from another thread: the task must come back to its own loop.
                    try? await Task.sleep(for: .milliseconds(1))
                    seen.append(executor.loop.inEventLoop)
                }
                return seen
            }.value
            #expect(stayed == [true, true, true, true])
        }
    }

    @Test("lanes take turns over every loop of the group, and bulk writes have a thread outside it")
    func lanesAndBulkWrites() async throws {
        let loops = EventLoopExecutor.all.map { ObjectIdentifier($0.loop) }
        #expect(loops.count == MultiThreadedEventLoopGroup.singleton.makeIterator().map { $0 }.count)
        #expect(Set(loops).count == loops.count)
        #expect((0..<loops.count * 2).map { ObjectIdentifier(EventLoopExecutor.lane($0).loop) } == loops + loops)
        let outside = await Task(executorPreference: EventLoopExecutor.bulkWrites) {
            EventLoopExecutor.bulkWrites.loop.inEventLoop && EventLoopExecutor.all.allSatisfy { !$0.loop.inEventLoop }
        }.value
        #expect(outside)
    }
}
