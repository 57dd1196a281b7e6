import Foundation
@testable import AgentPath

/// Paths and shared loads for the framework tests.
enum FrameworkFixtures {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
    static let repository = URL(fileURLWithPath: testsDirectory).deletingLastPathComponent().deletingLastPathComponent().path
    static let builtinDirectory = repository + "/frameworks"
    static let expectedDirectory = testsDirectory + "/Fixtures/frameworks-expected"
    static let badDirectory = testsDirectory + "/Fixtures/frameworks-bad"
    static let customExample = repository + "/docs/examples/custom-frameworks"
    /// The shared reference lists, beside the repository clone when CI has them.
    static let referenceDirectory = URL(fileURLWithPath: repository).deletingLastPathComponent().path + "/shared/reference"

    static let rules = RuleRegistry.ids

    static let builtinCatalogKeys = [
        "csa-maestro", "mitre-atlas", "nist-ai-600-1", "nist-ai-rmf",
        "owasp-agentic-threats", "owasp-asi-2026", "owasp-llm-2025", "owasp-nhi-2025",
    ]

    /// Loads directories; the set and every diagnostic.
    static func load(_ directories: [String], knownRules: Set<String> = rules) -> (set: FrameworkSet, diagnostics: [Diagnostic]) {
        let collector = DiagnosticCollector()
        let set = FrameworkLoader(knownRules: knownRules).load(directories: directories, diagnostics: collector)
        return (set, collector.sorted)
    }

    /// The built-in catalogs, loaded once for the whole suite.
    static let builtin = load([builtinDirectory])
    static let withCustom = load([builtinDirectory, customExample])

    /// One expected row of `frameworks-expected/<catalog>.tsv`.
    struct ExpectedItem: Hashable, CustomStringConvertible {
        var id: String
        var kind: String
        /// nil: the reference gives no title (the catalog's title must be marked as ours).
        var title: String?
        var parent: String
        var maps: String

        var description: String { [id, kind, title ?? "~", parent, maps].joined(separator: "\t") }
    }

    static func expected(_ catalog: String) throws -> [ExpectedItem] {
        let text = try String(contentsOfFile: expectedDirectory + "/\(catalog).tsv", encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: true).filter { !$0.hasPrefix("#") }.map { line in
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            precondition(cells.count == 5, "bad expected row: \(line)")
            return ExpectedItem(id: cells[0], kind: cells[1], title: cells[2] == "~" ? nil : cells[2], parent: cells[3], maps: cells[4])
        }
    }

    /// `catalog=id,id;catalog=id`, as the expected files write an item's maps_to.
    static func mapsText(_ maps: [String: [String]]) -> String {
        maps.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.sorted().joined(separator: ","))" }.joined(separator: ";")
    }
}

/// Plain values read from a reference YAML file, enough to derive the expected rows.
indirect enum Plain {
    case text(String?)
    case list([Plain])
    case map([(String, Plain)])

    init(_ node: YAMLNode) {
        switch node.content {
        case .scalar(let s): self = s.resolved == .null ? .text(nil) : .text(s.text)
        case .sequence(let items): self = .list(items.map(Plain.init))
        case .mapping(let pairs): self = .map(pairs.map { ($0.key.scalar?.text ?? "", Plain($0.value)) })
        }
    }

    subscript(_ key: String) -> Plain? {
        if case .map(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    var string: String? { if case .text(let s) = self { return s }; return nil }
    var list: [Plain] { if case .list(let l) = self { return l }; return [] }
    var strings: [String] { list.compactMap(\.string) }
}

enum ReferenceRows {
    static let kindNames = ["sub-technique": "subtechnique", "layer-group": "layer"]

    /// The expected rows of one catalog, derived from `shared/reference/<catalog>.yaml` the way
    /// `generate.py` derives them.
    static func derive(_ catalog: String, from directory: String) throws -> [FrameworkFixtures.ExpectedItem] {
        let path = directory + "/\(catalog).yaml"
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let collector = DiagnosticCollector()
        guard let node = YAMLReader().read(bytes: [UInt8](data), file: 0, diagnostics: collector) else {
            throw ReferenceError(message: "cannot read \(path): \(collector.diagnostics.map(\.message))")
        }
        let ref = Plain(node)
        func row(_ id: String, _ kind: String?, _ title: String?, _ parent: String?, _ maps: [String: [String]]) -> FrameworkFixtures.ExpectedItem {
            FrameworkFixtures.ExpectedItem(id: id, kind: kind.map { kindNames[$0] ?? $0 } ?? "", title: title, parent: parent ?? "",
                                           maps: FrameworkFixtures.mapsText(maps))
        }
        let entries = ref["entries"]?.list ?? []
        switch catalog {
        case "owasp-asi-2026":
            return entries.map { e in
                row(e["id"]!.string!, nil, e["title"]?.string, nil,
                    ["owasp-agentic-threats": e["maps_to_threats"]?.strings ?? [], "owasp-llm-2025": e["maps_to_llm"]?.strings ?? []])
            }
        case "owasp-nhi-2025":
            return entries.map { e in
                row(e["id"]!.string!, nil, e["title"]?.string, nil,
                    ["owasp-asi-2026": e["asi_mapping"]?.strings ?? [], "owasp-agentic-threats": e["threat_mapping"]?.strings ?? []])
            }
        case "owasp-agentic-threats":
            return entries.map { row($0["id"]!.string!, "threat", $0["title"]?.string, nil, [:]) }
                + (ref["playbooks"]?.list ?? []).map { row($0["id"]!.string!, "playbook", $0["title"]?.string, nil, ["owasp-agentic-threats": $0["mitigates"]?.strings ?? []]) }
        case "csa-maestro":
            let mas = ref["owasp_mas_guide_threats"]?["entries"]?.list ?? []
            return (entries + mas).map { e in
                var key = e["ref"]?.string ?? e["id"]!.string!
                if key.hasPrefix("MAS:") { key = String(key.dropFirst(4)) }
                return row(key, e["kind"]?.string, e["title"]?.string, e["parent"]?.string, ["owasp-agentic-threats": e["owasp_asi_threats"]?.strings ?? []])
            }
        case "nist-ai-rmf":
            return entries.map { row($0["id"]!.string!, $0["level"]?.string, $0["title"]?.string, $0["parent"]?.string, [:]) }
        default:
            return entries.map { row($0["id"]!.string!, $0["kind"]?.string, $0["title"]?.string, $0["parent"]?.string, [:]) }
        }
    }

    struct ReferenceError: Error { var message: String }
}
