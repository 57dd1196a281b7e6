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
