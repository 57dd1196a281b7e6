import Foundation
import Testing
@testable import AgentPath

/// Input written to hurt the reader. Each case must end in a located diagnostic (or a
/// result) quickly and in bounded memory; a crash or a hang fails the whole run.
@Suite("Hostile input")
struct HostileInputTests {
    /// Generous for a debug build on a slow machine; the cases take milliseconds.
    static let timeLimit = 10.0

    func loadTimed(_ path: String, configure: (inout Pipeline) -> Void = { _ in }) -> (LoadOutcome, Double) {
        var outcome: LoadOutcome?
        let seconds = measure { outcome = load(path, configure: configure) }
        return (outcome!, seconds)
    }

    func expectOnly(_ code: DiagnosticCode, _ outcome: LoadOutcome, line: Int32, column: Int32,
                    sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(outcome.model == nil, sourceLocation: sourceLocation)
        #expect(outcome.codes == [code], "\(outcome.listing)", sourceLocation: sourceLocation)
        #expect(outcome.first(code)?.location.line == line, sourceLocation: sourceLocation)
        #expect(outcome.first(code)?.location.column == column, sourceLocation: sourceLocation)
    }

    @Test func tenThousandNestedFlowSequences() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("deep.yaml", String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n")
        let (outcome, seconds) = loadTimed(path)
        // The top sequence is level 1: the 65th `[` (column 65) is the first too deep.
        expectOnly(.nestingTooDeep, outcome, line: 1, column: 65)
        #expect(seconds < Self.timeLimit)
    }

    @Test func tenThousandNestedFlowMappings() throws {
        let dir = try TemporaryDirectory()
        let text = String(repeating: "{a: ", count: 10_000) + "1" + String(repeating: "}", count: 10_000) + "\n"
        let path = try dir.write("deep.yaml", text)
        let (outcome, seconds) = loadTimed(path)
        // Each level is 4 characters: the 65th `{` starts at column 64 * 4 + 1.
        expectOnly(.nestingTooDeep, outcome, line: 1, column: 257)
        #expect(seconds < Self.timeLimit)
    }

    @Test func deepBlockNestingAlsoStops() throws {
        let dir = try TemporaryDirectory()
        var text = "version: 1\nsystem: { name: x }\n"
        for level in 0..<100 { text += String(repeating: "  ", count: level) + "a:\n" }
        let path = try dir.write("deep.yaml", text)
        let (outcome, _) = loadTimed(path)
        // Line 3's `a:` is a key of the top mapping (level 1); line 3 + j, indented 2j, opens
        // level j + 1, so level 65 opens on line 67 at column 129.
        expectOnly(.nestingTooDeep, outcome, line: 67, column: 129)
    }

    @Test func billionLaughs() throws {
        let dir = try TemporaryDirectory()
        var lines = ["version: 1", "system: { name: x }", "lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for i in 1...9 {
            lines.append("lol\(i): &l\(i) [" + Array(repeating: "*l\(i - 1)", count: 10).joined(separator: ", ") + "]")
        }
        let path = try dir.write("bomb.yaml", lines.joined(separator: "\n") + "\n")
        let (outcome, seconds) = loadTimed(path)
        #expect(outcome.model == nil)
        #expect(outcome.codes == [.aliasLimit], "\(outcome.listing)")
        // 10^9 leaves if expanded. Aliases add 110 + 1,110 + 11,110 nodes on lines 4-6, then
        // 11,111 each on line 7: the 8th `*l3` (column 12 + 7 * 5 = 47) passes 100,000.
        #expect(outcome.first(.aliasLimit)?.location.line == 7)
        #expect(outcome.first(.aliasLimit)?.location.column == 47)
        #expect(seconds < Self.timeLimit)
    }

    @Test func aliasesWithinTheLimitExpand() throws {
        let dir = try TemporaryDirectory()
        let text = """
        version: 1
        system: { name: x }
        zones:
          - &corp { id: corp, trust: trusted }
        agents:
          - id: a
            owner: team
            zone: corp
            tags: &tags [one, two]
          - id: b
            owner: team
            zone: corp
            tags: *tags

        """
        let outcome = load(try dir.write("ok.yaml", text))
        let model = try #require(outcome.model, "\(outcome.listing)")
        #expect(model.agent("b")?.info.tags == ["one", "two"])
    }

    @Test func fiveMegabyteScalar() throws {
        let dir = try TemporaryDirectory()
        let big = String(repeating: "x", count: 5 << 20)
        let path = try dir.write("big.yaml", "version: 1\nsystem:\n  name: x\n  description: \"\(big)\"\nzones:\n  - { id: z, trust: bogus }\n")
        let (outcome, seconds) = loadTimed(path)
        // The scalar is read whole; the error after it is still found and located.
        #expect(outcome.codes == [.invalidEnum], "\(outcome.listing.prefix(500))")
        #expect(outcome.first(.invalidEnum)?.location.line == 6)
        #expect(seconds < Self.timeLimit * 2)
    }

    @Test func fileOverTheDefaultSizeLimitIsRefusedUnread() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("huge.yaml")
        let limit = YAMLLimits().maxFileBytes
        // A sparse file: large on paper, no disk or memory spent. The loader must not read it.
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(limit) + 1)
        try handle.close()
        let (outcome, seconds) = loadTimed(path)
        expectOnly(.fileTooLarge, outcome, line: 1, column: 1)
        #expect(outcome.first(.fileTooLarge)?.message == "file is \(limit + 1) bytes; the limit is \(limit)")
        #expect(seconds < 1, "the file should be refused by its size, before it is read")
    }

    @Test func readerRefusesOversizedBytesToo() {
        var limits = YAMLLimits()
        limits.maxFileBytes = 10
        let collector = DiagnosticCollector()
        let node = YAMLReader(limits: limits).read(bytes: Array("version: 1\nsystem: {}\n".utf8), file: 0, diagnostics: collector)
        #expect(node == nil)
        #expect(collector.diagnostics.map(\.code) == [.fileTooLarge])
    }

    @Test func invalidUTF8() throws {
        let dir = try TemporaryDirectory()
        let bytes = Array("version: 1\nsystem:\n  name: ".utf8) + [0xC3, 0x28] + Array(" x\n".utf8)
        let (outcome, _) = loadTimed(try dir.write("latin.yaml", bytes))
        // 0xC3 opens a two-byte sequence; 0x28 `(` cannot continue it. libyaml names that byte.
        expectOnly(.invalidEncoding, outcome, line: 3, column: 10)
        #expect(outcome.first(.invalidEncoding)?.message.contains("0x28") == true)
    }

    @Test func bareInvalidByteAtStart() throws {
        let dir = try TemporaryDirectory()
        let (outcome, _) = loadTimed(try dir.write("bin.yaml", [0xFF, 0xFF, 0x00, 0x01]))
        #expect(outcome.codes == [.invalidEncoding], "\(outcome.listing)")
        #expect(outcome.first(.invalidEncoding)?.location.line == 1)
    }

    @Test func tabInIndentation() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("tab.yaml", "version: 1\nsystem:\n\tname: x\n")
        let (outcome, _) = loadTimed(path)
        expectOnly(.yamlSyntax, outcome, line: 3, column: 1)
        #expect(outcome.first(.yamlSyntax)?.message.hasSuffix("(a tab; YAML indents with spaces only)") == true)
    }

    @Test func errorAtTheEndOfAFileWithoutFinalNewlineStaysOnItsLastLine() throws {
        // Regression: libyaml puts the end of such a stream on a line the file does not have.
        let dir = try TemporaryDirectory()
        let path = try dir.write("cut.yaml", "version: 1\nsystem: { name: x")
        let (outcome, _) = loadTimed(path)
        // `system: { name: x` is 17 characters: the end of input is column 18 of line 2.
        expectOnly(.yamlSyntax, outcome, line: 2, column: 18)
    }

    @Test func errorAtTheEndOfAFileWithFinalNewline() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("cut.yaml", "version: 1\nsystem: { name: x\n")
        let (outcome, _) = loadTimed(path)
        expectOnly(.yamlSyntax, outcome, line: 3, column: 1)
    }

    @Test func undefinedAlias() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("alias.yaml", "version: 1\nsystem: { name: *missing }\n")
        let (outcome, _) = loadTimed(path)
        expectOnly(.undefinedAlias, outcome, line: 2, column: 17)
        #expect(outcome.first(.undefinedAlias)?.message == "alias '*missing' names no anchor defined before it")
    }

    @Test func aliasBeforeItsAnchorIsUndefined() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("alias.yaml", "version: 1\nsystem: { name: *n, owner: &n team }\n")
        let (outcome, _) = loadTimed(path)
        expectOnly(.undefinedAlias, outcome, line: 2, column: 17)
    }

    @Test func twoDocumentsInOneFile() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("two.yaml", "version: 1\nsystem: { name: x }\n...\n---\nversion: 1\n")
        let (outcome, _) = loadTimed(path)
        expectOnly(.multipleDocuments, outcome, line: 4, column: 1)
    }

    @Test func explicitSingleDocumentIsFine() throws {
        let dir = try TemporaryDirectory()
        let outcome = load(try dir.write("one.yaml", "---\nversion: 1\nsystem: { name: x }\n...\n"))
        #expect(outcome.model != nil, "\(outcome.listing)")
    }

    @Test(arguments: ["", "# only a comment\n", "\n\n   \n", "---\n", "~\n"])
    func emptyFile(_ text: String) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("empty.yaml", text)
        let (outcome, _) = loadTimed(path)
        expectOnly(.emptyModel, outcome, line: 1, column: 1)
        #expect(outcome.first(.emptyModel)?.path == path)
    }

    @Test func emptyFileIsReportedEvenAfterAnotherFilesError() throws {
        // Regression: the empty-file check used to look at whether any error existed at all.
        let dir = try TemporaryDirectory()
        try dir.write("a.yaml", "version: 1\nsystem: { name: x }\nzones: [ { id: Bad } ]\n")
        try dir.write("b.yaml", "")
        let outcome = load(dir.path)
        #expect(Set(outcome.codes) == [.invalidID, .missingKey, .emptyModel], "\(outcome.listing)")
        #expect(outcome.first(.emptyModel)?.path == dir.file("b.yaml"))
    }

    @Test func listAtTheTopOfAnIncludedFileIsAWrongType() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", "version: 1\nsystem: { name: x }\ninclude: [part.yaml]\n")
        try dir.write("part.yaml", "- id: corp\n  trust: trusted\n")
        let outcome = load(dir.file("main.yaml"))
        expectOnly(.wrongType, outcome, line: 1, column: 1)
        #expect(outcome.first(.wrongType)?.path == dir.file("part.yaml"))
        #expect(outcome.first(.wrongType)?.message == "the model file must be a mapping, found a list")
    }

    @Test func scalarAtTheTopIsAWrongType() throws {
        let dir = try TemporaryDirectory()
        let (outcome, _) = loadTimed(try dir.write("s.yaml", "just a string\n"))
        // One error: no cascading "no `system` section" after it.
        expectOnly(.wrongType, outcome, line: 1, column: 1)
        #expect(outcome.first(.wrongType)?.message == "the model file must be a mapping, found a string")
    }

    @Test func directoryOfThreeThousandFiles() throws {
        let dir = try TemporaryDirectory()
        try dir.write("model/main.yaml", "version: 1\nsystem: { name: Many files }\nzones: [ { id: corp, trust: trusted } ]\n")
        try FileManager.default.createDirectory(atPath: dir.file("model/parts"), withIntermediateDirectories: true)
        for i in 0..<3_000 {
            let created = FileManager.default.createFile(
                atPath: dir.file(String(format: "model/parts/agent-%04d.yaml", i)),
                contents: Data("agents:\n  - { id: agent-\(i), owner: team, zone: corp }\n".utf8))
            try #require(created)
        }
        // Hidden files and other extensions are skipped.
        try dir.write("model/.hidden.yaml", "not: [valid")
        try dir.write("model/notes.txt", "not yaml")
        let (outcome, seconds) = loadTimed(dir.file("model"))
        let model = try #require(outcome.model, "\(outcome.listing.prefix(1000))")
        #expect(model.model.agents.count == 3_000)
        #expect(model.model.files.paths.count == 3_001)
        #expect(outcome.diagnostics.isEmpty, "\(outcome.listing.prefix(1000))")
        #expect(seconds < Self.timeLimit)
    }

    @Test func symlinkLoopInADirectoryIsNotFollowedForever() throws {
        let dir = try TemporaryDirectory()
        try dir.write("m/main.yaml", "version: 1\nsystem: { name: x }\n")
        try FileManager.default.createSymbolicLink(atPath: dir.file("m/loop"), withDestinationPath: ".")
        try FileManager.default.createSymbolicLink(atPath: dir.file("m/up"), withDestinationPath: dir.file("m"))
        let (outcome, seconds) = loadTimed(dir.file("m"))
        #expect(outcome.model != nil, "\(outcome.listing)")
        #expect(seconds < Self.timeLimit)
    }

    @Test func fifoInADirectoryIsReportedNotWaitedOn() throws {
        let dir = try TemporaryDirectory()
        try dir.write("m/main.yaml", "version: 1\nsystem: { name: x }\n")
        try #require(mkfifo(dir.file("m/pipe.yaml"), 0o644) == 0)
        let (outcome, seconds) = loadTimed(dir.file("m"))
        #expect(outcome.codes == [.fileUnreadable], "\(outcome.listing)")
        #expect(outcome.first(.fileUnreadable)?.path == dir.file("m/pipe.yaml"))
        #expect(seconds < Self.timeLimit)
    }

    @Test func directoryOverTheFileLimit() throws {
        let dir = try TemporaryDirectory()
        for i in 0..<12 { try dir.write("m/f\(i).yaml", "zones: []\n") }
        let outcome = load(dir.file("m")) { $0.loader.maxFiles = 10 }
        // One diagnostic: no "the directory holds no .yaml file" after it.
        #expect(outcome.codes == [.tooManyFiles], "\(outcome.listing)")
        #expect(outcome.model == nil)
    }

    @Test func emptyDirectory() throws {
        let dir = try TemporaryDirectory()
        try dir.write("m/readme.txt", "no models here")
        let outcome = load(dir.file("m"))
        #expect(outcome.codes == [.emptyModel])
        #expect(outcome.first(.emptyModel)?.location.line == 0)
    }

    @Test func includeCycle() throws {
        let dir = try TemporaryDirectory()
        try dir.write("a.yaml", "version: 1\nsystem: { name: x }\ninclude: [b.yaml]\n")
        try dir.write("b.yaml", "include: [./a.yaml]\nzones: [ { id: corp, trust: trusted } ]\n")
        let (outcome, seconds) = loadTimed(dir.file("a.yaml"))
        expectOnly(.includeCycle, outcome, line: 1, column: 11)
        let d = try #require(outcome.first(.includeCycle))
        #expect(d.path == dir.file("b.yaml"))
        #expect(d.message == "include cycle: \(dir.file("a.yaml")) → \(dir.file("b.yaml")) → \(dir.file("a.yaml"))")
        #expect(seconds < Self.timeLimit)
    }

    @Test func fileIncludingItself() throws {
        let dir = try TemporaryDirectory()
        try dir.write("a.yaml", "version: 1\nsystem: { name: x }\ninclude: [a.yaml]\n")
        let outcome = load(dir.file("a.yaml"))
        expectOnly(.includeCycle, outcome, line: 3, column: 11)
    }

    @Test func diamondIncludeIsNotACycle() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", "version: 1\nsystem: { name: x }\ninclude: [left.yaml, right.yaml]\n")
        try dir.write("left.yaml", "include: [shared.yaml]\n")
        try dir.write("right.yaml", "include: [shared.yaml]\n")
        try dir.write("shared.yaml", "zones: [ { id: corp, trust: trusted } ]\n")
        let outcome = load(dir.file("main.yaml"))
        let model = try #require(outcome.model, "\(outcome.listing)")
        #expect(model.model.zones.count == 1, "the shared file is read once")
    }

    @Test func missingInclude() throws {
        let dir = try TemporaryDirectory()
        try dir.write("a.yaml", "version: 1\nsystem: { name: x }\ninclude:\n  - parts/gone.yaml\n")
        let outcome = load(dir.file("a.yaml"))
        expectOnly(.fileUnreadable, outcome, line: 4, column: 5)
        #expect(outcome.first(.fileUnreadable)?.path == dir.file("a.yaml"))
        #expect(outcome.first(.fileUnreadable)?.message == "included file 'parts/gone.yaml' cannot be read (missing or not a file)")
    }

    @Test func includeOfADirectoryIsUnreadable() throws {
        let dir = try TemporaryDirectory()
        try dir.write("a.yaml", "version: 1\nsystem: { name: x }\ninclude: [sub.yaml]\n")
        try FileManager.default.createDirectory(atPath: dir.file("sub.yaml"), withIntermediateDirectories: true)
        let outcome = load(dir.file("a.yaml"))
        expectOnly(.fileUnreadable, outcome, line: 3, column: 11)
    }

    @Test(arguments: ["/etc/passwd", "notes.txt", "/abs/model.yaml"])
    func includeThatIsNotARelativeYAMLPath(_ include: String) throws {
        let dir = try TemporaryDirectory()
        try dir.write("a.yaml", "version: 1\nsystem: { name: x }\ninclude: [\"\(include)\"]\n")
        let outcome = load(dir.file("a.yaml"))
        expectOnly(.includeOutside, outcome, line: 3, column: 11)
    }

    @Test func mergeKeysMerge() throws {
        let dir = try TemporaryDirectory()
        let text = """
        version: 1
        system: { name: x }
        zones:
          - { id: corp, trust: trusted }
        data:
          - &base { id: base, kind: documents, sensitivity: confidential, zone: corp }
          - { <<: *base, id: derived }
          - <<: [*base, { audience: public, kind: web }]
            id: derived-2
            sensitivity: public

        """
        let outcome = load(try dir.write("merge.yaml", text))
        let model = try #require(outcome.model, "\(outcome.listing)")
        let derived = try #require(model.data("derived"))
        #expect(derived.kind == .documents)
        #expect(derived.sensitivity == .confidential)
        #expect(derived.zone?.id == "corp")
        let second = try #require(model.data("derived-2"))
        // Explicit keys win; among sources the earlier wins (`kind` stays documents).
        #expect(second.sensitivity == .public)
        #expect(second.kind == .documents)
        #expect(second.audience == .public)
        #expect(outcome.diagnostics.isEmpty, "\(outcome.listing)")
    }

    @Test func mergeKeyOfAScalarIsAWrongType() throws {
        let dir = try TemporaryDirectory()
        let text = "version: 1\nsystem: { name: x }\nzones:\n  - { <<: trusted, id: corp, trust: trusted }\n"
        let outcome = load(try dir.write("merge.yaml", text))
        expectOnly(.wrongType, outcome, line: 4, column: 11)
    }

    @Test func yamlOnePointTwoBooleans() throws {
        let dir = try TemporaryDirectory()
        let text = """
        version: 1
        system: { name: yes }
        agents:
          - id: a
            owner: on
            long_running: yes
          - id: b
            owner: team
            long_running: true

        """
        let outcome = load(try dir.write("bools.yaml", text))
        // `yes` and `on` stay strings: fine as a name and an owner, rejected for a bool key.
        expectOnly(.wrongType, outcome, line: 6, column: 19)
        #expect(outcome.first(.wrongType)?.message.contains("(YAML 1.2: only true and false are booleans)") == true)

        let fixed = load(try dir.write("fixed.yaml", text.replacingOccurrences(of: "long_running: yes", with: "long_running: false")))
        let model = try #require(fixed.model, "\(fixed.listing)")
        #expect(model.model.system.name == "yes")
        #expect(model.agent("a")?.info.owner == "on")
        #expect(model.agent("a")?.longRunning == false)
        #expect(model.agent("b")?.longRunning == true)
    }

    @Test func scalarResolutionFollowsTheCoreSchema() {
        func plain(_ t: String) -> YAMLScalar.Resolved { YAMLScalar(text: t, isPlain: true).resolved }
        #expect(plain("yes") == .string("yes"))
        #expect(plain("No") == .string("No"))
        #expect(plain("off") == .string("off"))
        #expect(plain("True") == .bool(true))
        #expect(plain("FALSE") == .bool(false))
        #expect(plain("~") == .null)
        #expect(plain("0x1F") == .int(31))
        #expect(plain("0o17") == .int(15))
        #expect(plain("1_000") == .string("1_000"))
        #expect(plain("1.5") == .float(1.5))
        #expect(plain("-.inf") == .float(-.infinity))
        #expect(YAMLScalar(text: "true", isPlain: false).resolved == .string("true"))
    }

    @Test func quotedOneIsNotAVersion() throws {
        let dir = try TemporaryDirectory()
        let outcome = load(try dir.write("v.yaml", "version: \"1\"\nsystem: { name: x }\n"))
        expectOnly(.badVersion, outcome, line: 1, column: 10)
    }

    @Test func missingVersion() throws {
        let dir = try TemporaryDirectory()
        let outcome = load(try dir.write("v.yaml", "system: { name: x }\n"))
        expectOnly(.badVersion, outcome, line: 1, column: 1)
        #expect(outcome.first(.badVersion)?.message == "missing `version: 1` in the file that holds `system`")
    }

    @Test func diagnosticFloodIsCapped() throws {
        let dir = try TemporaryDirectory()
        var text = "version: 1\nsystem: { name: x }\nagents:\n"
        for i in 0..<3_000 { text += "  - { id: a\(i), owner: t, bogus\(i): 1 }\n" }
        let outcome = load(try dir.write("flood.yaml", text))
        #expect(outcome.model == nil)
        #expect(outcome.collector.diagnostics.count == outcome.collector.limit)
        #expect(outcome.collector.dropped == 3_000 - outcome.collector.limit)
        #expect(outcome.collector.errorCount == 3_000)
    }

    @Test func droppedDiagnosticsCostNoDidYouMean() throws {
        // Regression: every unknown reference searched all ids for a suggestion, even when the
        // collector was full and dropped the message (12,000 broken references in a 5 MB
        // model took 125 s in a release build).
        let dir = try TemporaryDirectory()
        var text = "version: 1\nsystem: { name: x }\nagents:\n"
        for i in 0..<3_000 { text += "  - { id: agent-\(i), owner: t, tools: [tol-\(i % 1_000)-x] }\n" }
        text += "tools:\n"
        for i in 0..<1_000 { text += "  - { id: tool-\(i)-x, effects: [read] }\n" }
        let path = try dir.write("broken.yaml", text)
        let collector = DiagnosticCollector(limit: 20)
        let seconds = measure { _ = Pipeline().load(path: path, diagnostics: collector) }
        #expect(collector.errorCount == 3_000)
        #expect(collector.diagnostics.count == 20)
        // The recorded ones still carry their suggestion.
        #expect(collector.diagnostics.first?.message.hasSuffix("did you mean 'tool-0-x'?") == true, "\(collector.diagnostics.first?.text ?? "")")
        #expect(seconds < 3, "3,000 dropped diagnostics took \(seconds) s")
    }

    @Test func longFlatListIsLinear() throws {
        // Regression: appending to an open collection used to copy it (quadratic).
        let dir = try TemporaryDirectory()
        var text = "version: 1\nsystem:\n  name: x\n  description: >\n    long list below\nzones:\n"
        for i in 0..<60_000 { text += "  - {id: z\(i), trust: trusted}\n" }
        let (outcome, seconds) = loadTimed(try dir.write("flat.yaml", text))
        #expect(outcome.model?.model.zones.count == 60_000, "\(outcome.listing.prefix(500))")
        #expect(seconds < Self.timeLimit, "60,000 zones took \(seconds) s")
    }
}
