import Foundation
import Testing
@testable import AgentPath

/// The streaming writers behind findings JSON, SARIF, check JSON and JUnit (issue #8) write
/// exactly what the tree renderers did: same bytes for the same values.
@Suite struct MachineOutputTests {
    /// Strings that exercise every escape: quotes, backslashes, controls, HTML-unsafe
    /// characters, U+2028/U+2029, other E2 sequences, U+FFFE/U+FFFF, non-ASCII.
    static let tricky = [
        "", "plain", "quote \" backslash \\ slash /", "tab\tnew\nline\rcr", "\u{0}\u{1}\u{1F}\u{7F}",
        "<script>&amp;</script>", "line\u{2028}para\u{2029}end", "dash — ‘quotes’ €", "\u{FFFE}\u{FFFF}\u{FFFD}",
        "émoji 🚀 and 中文", "trailing \u{E2}".replacingOccurrences(of: "\u{E2}", with: "â"),
    ]

    static func tree() -> JSON {
        .object([
            ("empty object", .object([])), ("empty array", .array([])),
            ("ints", .array([.int(0), .int(7), .int(10), .int(-1), .int(-10), .int(1234567890123), .int(Int.max), .int(Int.min)])),
            ("doubles", .array([.double(0), .double(-0.0), .double(9.5), .double(1e15), .double(1e20), .double(0.1), .double(-2), .double(.nan), .double(.infinity)])),
            ("bools", .array([.bool(true), .bool(false), .null])),
            ("strings", JSON.strings(tricky)),
            ("nested", .array([.object([("a", .array([.array([]), .object([("b", .string("c"))])]))]), .array([.int(1)])])),
            ("keys", .object(tricky.map { ($0, .string($0)) })),
        ])
    }

    static func write(_ json: JSON, into w: inout JSONWriter) {
        switch json {
        case .null: w.null()
        case .bool(let b): w.bool(b)
        case .int(let i): w.int(i)
        case .double(let d): w.double(d)
        case .string(let s): w.string(s)
        case .array(let items):
            w.beginArray()
            for item in items { write(item, into: &w) }
            w.endArray()
        case .object(let pairs):
            w.beginObject()
            for (k, v) in pairs { w.key(escaping: k); write(v, into: &w) }
            w.endObject()
        }
    }

    @Test func writerMatchesTreeRendering() {
        let json = Self.tree()
        var w = JSONWriter(capacity: 1)  // grows many times
        Self.write(json, into: &w)
        #expect(w.finish() == json.bytes())
        // A tree embedded part-way down is indented to fit.
        var v = JSONWriter()
        v.beginObject(); v.key("x"); v.beginArray(); v.value(json); v.endArray(); v.endObject()
        #expect(v.finish() == JSON.object([("x", .array([json]))]).bytes())
    }

    @Test func quoteEscapes() {
        var out: [UInt8] = []
        JSON.quote("a\"<\u{2028}\u{1}", into: &out)
        #expect(String(decoding: out, as: UTF8.self) == #""a\"\u003c\u2028\u0001""#)
    }

    /// The XML escaping the JUnit emitter used before it wrote bytes, kept as the reference.
    static func referenceEscape(_ s: String, attribute: Bool) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "\n" where attribute: out += "&#10;"
            case "\r": out += "&#13;"
            case "\t" where attribute: out += "&#9;"
            case "\t", "\n": out.unicodeScalars.append(u)
            default:
                let v = u.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    @Test(arguments: [true, false])
    func xmlEscapeMatchesReference(attribute: Bool) {
        for s in Self.tricky + ["a\u{EF}b".replacingOccurrences(of: "\u{EF}", with: "ï"), "\u{FEFF}bom", "x\u{FFFF}"] {
            #expect(XMLWriter.escape(s, attribute: attribute) == Self.referenceEscape(s, attribute: attribute), "\(s.debugDescription)")
        }
    }

    func analyze(_ path: String) throws -> (AnalysisResult, SourceFiles) {
        let model = try #require(Pipeline().load(path: path, diagnostics: DiagnosticCollector()), "\(path) must validate")
        return (Analyzer(frameworks: FrameworkFixtures.builtin.set).analyze(model), model.model.files)
    }

    @Test(arguments: RepoPaths.exampleModels)
    func findingsJSONMatchesTree(model: String) throws {
        let (result, files) = try analyze(model)
        #expect(FindingsJSON.bytes(result, files: files) == FindingsJSON.document(result, files: files).bytes())
    }

    /// Same analysis, same bytes, for every machine output.
    @Test func machineOutputsAreDeterministic() throws {
        let model = RepoPaths.path("models/coding-assistant.yaml")
        func outputs() throws -> [[UInt8]] {
            let (result, files) = try analyze(model)
            let g = Gate().evaluateWithoutWaivers(result)
            return [FindingsJSON.bytes(result, files: files), SARIFEmitter.bytes(result, files: files, result: g, toolVersion: "0"),
                    JUnitEmitter.bytes(result, files: files, result: g), FindingsText.bytes(result, files: files, gate: g),
                    CheckJSON.bytes(result, files: files, result: g, failOnSource: "default", baseline: nil, exitCode: 1)]
        }
        #expect(try outputs() == outputs())
    }

    /// A long stale waivers file: only the first few unmatched waivers get a did-you-mean (each
    /// one compares with every fingerprint), so the gate stays linear in the findings.
    @Test func unmatchedWaiverSuggestionsAreCapped() throws {
        let (result, _) = try analyze(RepoPaths.path("models/coding-assistant.yaml"))
        let near = try #require(result.findings.first?.fingerprint)
        let typo = String(near.dropLast()) + (near.last == "0" ? "1" : "0")
        var files = SourceFiles()
        let file = files.intern("waivers.yaml")
        let at = SourceLocation(file: file, line: 1, column: 1)
        let waivers = (0..<(Gate.suggestionLimit + 5)).map { i in
            Waiver(fingerprint: i == Gate.suggestionLimit + 2 ? typo : String(format: "%016x", i + 1), owner: "o", justification: "j", framework: "ASI01",
                   frameworkRef: nil, expires: CalendarDate(year: 2099, month: 1, day: 1)!, rule: nil, location: at,
                   fingerprintLocation: at, expiresLocation: at, frameworkLocation: at, ruleLocation: nil)
        }
        let g = Gate().evaluate(result, waivers: WaiverSet(path: "waivers.yaml", waivers: waivers, files: files), today: CalendarDate(year: 2026, month: 1, day: 1)!)
        let unmatched = g.diagnostics.filter { $0.code == .unmatchedWaiver }
        #expect(unmatched.count == waivers.count)
        #expect(!unmatched.contains { $0.message.contains(typo) && $0.message.contains("did you mean") })
        // Under the limit the typo gets its suggestion.
        let few = Array(waivers.suffix(3))
        let g2 = Gate().evaluate(result, waivers: WaiverSet(path: "waivers.yaml", waivers: few, files: files), today: CalendarDate(year: 2026, month: 1, day: 1)!)
        #expect(g2.diagnostics.contains { $0.message.contains("did you mean '\(near)'") })
    }
}
