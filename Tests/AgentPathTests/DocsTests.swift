import Foundation
import Testing
@testable import AgentPath

/// docs/diagnostics.md documents every code, and nothing else, under a heading of its own.
@Suite("Diagnostics reference")
struct DocsTests {
    static let page = Paths.inPackage("docs/diagnostics.md")

    /// `## E0203 unknown-tool` style headings: the codes they name, in page order.
    static func headingCodes(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("#") else { return nil }
            return line.firstMatch(of: /\b[EW][0-9]{4}\b/).map { String($0.output) }
        }
    }

    /// The text of the section under a code's heading, up to the next heading of a code.
    static func section(_ code: String, in text: String) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("#") && $0.contains(code) }) else { return nil }
        let rest = lines[(start + 1)...]
        let end = rest.firstIndex { $0.hasPrefix("#") && $0.firstMatch(of: /\b[EW][0-9]{4}\b/) != nil } ?? lines.endIndex
        return lines[start..<end].joined(separator: "\n")
    }

    @Test func everyCodeHasAHeadingAndEveryHeadingACode() throws {
        let text = try String(contentsOfFile: Self.page, encoding: .utf8)
        let documented = Self.headingCodes(text)
        let codes = DiagnosticCode.allCases.map(\.rawValue)
        #expect(Set(codes).subtracting(documented).sorted() == [], "codes without a heading in docs/diagnostics.md")
        #expect(Set(documented).subtracting(codes).sorted() == [], "headings for codes that do not exist")
        #expect(documented.count == Set(documented).count, "a code has two headings")
        #expect(documented == codes, "headings follow the order of DiagnosticCode")
    }

    @Test(arguments: DiagnosticCode.allCases)
    func sectionShowsSeverityAndTheRealMessage(_ code: DiagnosticCode) throws {
        let text = try String(contentsOfFile: Self.page, encoding: .utf8)
        let section = try #require(Self.section(code.rawValue, in: text), "no section for \(code.rawValue)")
        #expect(section.contains("Severity: \(code.expectedSeverity.rawValue)"), "\(code.rawValue): state its severity")
        // The example output line is what the fixture really produces (path aside), so the
        // page cannot drift from the messages.
        let (entry, outcome) = try #require(CodeTable.run(code))
        let d = try #require(outcome.first(code))
        // Paths in messages are shown relative to the fixture folder.
        let message = d.message.replacingOccurrences(of: Fixtures.path("codes") + "/", with: "")
            .replacingOccurrences(of: Fixtures.directory.path + "/", with: "")
        var tail = ": \(d.severity.rawValue): \(message) [\(code.rawValue)]"
        var body = section
        if entry.fixture.hasPrefix("codes/e0007") || entry.fixture.hasPrefix("codes/e0009") {
            // These fixtures run under lowered limits; the page shows the default ones.
            tail = tail.replacing(/[0-9]+/, with: "#")
            body = body.replacing(/[0-9]+/, with: "#")
        }
        #expect(body.contains(tail), "docs/diagnostics.md \(code.rawValue) should show an output line ending in\n\(tail)")
    }
}

/// The outputs quoted in docs/analysis.md (worked example, fingerprints) and docs/output.md
/// (text and JSON excerpts) are what the tool prints for models/coding-assistant.yaml.
@Suite("Findings docs")
struct FindingsDocTests {
    /// Text and JSON of the coding assistant, with files shown as `models/coding-assistant.yaml`.
    static func outputs() throws -> (text: String, json: String) {
        let diagnostics = DiagnosticCollector()
        let model = try #require(Pipeline().load(path: Paths.inPackage("models/coding-assistant.yaml"), diagnostics: diagnostics))
        let result = Analyzer(frameworks: FrameworkFixtures.builtin.set).analyze(model)
        let prefix = Paths.packageRoot.path + "/"
        return (FindingsText.emit(result, files: model.model.files).replacingOccurrences(of: prefix, with: ""),
                FindingsJSON.emit(result, files: model.model.files).replacingOccurrences(of: prefix, with: ""))
    }

    static func page(_ name: String) throws -> String {
        try String(contentsOfFile: Paths.inPackage("docs/\(name)"), encoding: .utf8)
    }

    /// The fenced block that follows `marker` (its first line after the opening fence).
    static func block(after marker: String, fence: String = "```", in text: String) throws -> String {
        let m = try #require(text.range(of: marker), "no '\(marker)'")
        let open = try #require(text.range(of: fence + "\n", range: m.upperBound..<text.endIndex))
        let close = try #require(text.range(of: "\n```\n", range: open.upperBound..<text.endIndex))
        return String(text[open.upperBound..<close.lowerBound])
    }

    /// The parts of an excerpt between `...` lines, each of which must be whole lines of
    /// `actual`, in order.
    static func expectExcerpt(_ excerpt: String, in actual: String, _ what: String) {
        let lines = excerpt.components(separatedBy: "\n")
        var chunks: [[String]] = [[]]
        for l in lines {
            if l.trimmingCharacters(in: .whitespaces) == "..." { chunks.append([]) } else { chunks[chunks.count - 1].append(l) }
        }
        var rest = "\n" + actual
        for chunk in chunks where !chunk.isEmpty {
            let needle = "\n" + chunk.joined(separator: "\n") + "\n"
            guard let r = rest.range(of: needle) else {
                Issue.record("\(what): not in the real output (or out of order):\n\(chunk.joined(separator: "\n"))")
                return
            }
            rest = "\n" + String(rest[r.upperBound...])
        }
    }

    @Test func analysisWorkedExampleIsReal() throws {
        let (text, _) = try Self.outputs()
        let page = try Self.page("analysis.md")
        let finding = try Self.block(after: "**Check against the tool.**", in: page)
        #expect(text.contains(finding + "\n"), "docs/analysis.md §19 should show the finding as printed:\n\(text)")
        let top = try Self.block(after: "and, at the top:", in: page)
        #expect(text.contains(top + "\n"), "docs/analysis.md §19 should show the top cut as printed")
    }

    @Test func analysisFingerprintExamplesHold() throws {
        let page = try Self.page("analysis.md")
        let calls = page.matches(of: /fingerprint\(((?:"[^"]*"(?:, )?)+)\)\s+# '([0-9a-f]{16})'/)
        #expect(calls.count >= 2)
        for call in calls {
            let parts = call.output.1.matches(of: /"([^"]*)"/).map { String($0.output.1) }
            #expect(Fingerprint.of(parts) == String(call.output.2), "fingerprint\(parts) in docs/analysis.md §17")
        }
    }

    @Test func outputExcerptsAreReal() throws {
        let (text, json) = try Self.outputs()
        let page = try Self.page("output.md")
        Self.expectExcerpt(try Self.block(after: "Excerpt from `agentpath analyze models/coding-assistant.yaml`:", in: page), in: text,
                           "docs/output.md §2 text excerpt")
        Self.expectExcerpt(try Self.block(after: "## 4. Excerpt of real JSON output", fence: "```json", in: page), in: json,
                           "docs/output.md §4 JSON excerpt")
    }
}
