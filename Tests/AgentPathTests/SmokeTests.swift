import Testing
@testable import AgentPath

@Test func durationParsing() {
    #expect(MapReader.parseDuration("15m") == .seconds(900))
    #expect(MapReader.parseDuration("1h30m") == .seconds(5400))
    #expect(MapReader.parseDuration("never") == .never)
    #expect(MapReader.parseDuration("15") == nil)
    #expect(MapReader.parseDuration("30m1h") == nil)
}
