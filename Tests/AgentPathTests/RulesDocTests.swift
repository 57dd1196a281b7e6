import Foundation
import Testing
import AgentPath

/// docs/rules.md must list every rule the analyzer runs, by id and by its exact title.
@Suite struct RulesDocTests {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // AgentPathTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root

    static func rulesDoc() throws -> String {
        let url = repoRoot.appendingPathComponent("docs/rules.md")
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test func everyRuleIdAndTitleIsDocumented() throws {
        let doc = try Self.rulesDoc()
        let infos = RuleRegistry.infos
        #expect(infos.count == 19, "expected 19 rules in RuleRegistry, found \(infos.count)")
        let missingIDs = infos.map(\.id).filter { !doc.contains($0) }
        let missingTitles = infos.filter { !doc.contains($0.title) }.map { "\($0.id): \"\($0.title)\"" }
        #expect(missingIDs.isEmpty, "docs/rules.md does not mention these rules: \(missingIDs.joined(separator: ", "))")
        #expect(missingTitles.isEmpty, "docs/rules.md does not give these titles: \(missingTitles.joined(separator: "; "))")
    }

    @Test func everyRuleHasItsOwnSection() throws {
        let doc = try Self.rulesDoc()
        let missingSections = RuleRegistry.infos.map { "## \($0.id) — \($0.title)" }.filter { !doc.contains($0) }
        let missingSlugs = RuleRegistry.infos.filter { !doc.contains("`\($0.slug)`") }.map { "\($0.id) (`\($0.slug)`)" }
        #expect(missingSections.isEmpty, "docs/rules.md has no section headed: \(missingSections.joined(separator: "; "))")
        #expect(missingSlugs.isEmpty, "docs/rules.md does not give the slug of: \(missingSlugs.joined(separator: ", "))")
    }
}
