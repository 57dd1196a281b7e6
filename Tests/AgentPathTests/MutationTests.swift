import Foundation
import Testing
@testable import AgentPath

/// SplitMix64: small, fast and the same on every platform, so a failing case can be replayed
/// from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Breaks a model file in the ways people and tools break YAML.
struct Mutator {
    static let tokens: [[UInt8]] = [":", "-", "[", "]", "{", "}", "\t", "&a", "*a", "&a ", "*a ", "<<: *a", "\"", "'", "#", "- ", ": ", "\n---\n", "\n  "].map { Array($0.utf8) }

    var rng: SplitMix64

    mutating func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(max(n, 1))) }

    /// The byte ranges of the lines (without their `\n`).
    static func lines(_ b: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = 0
        b.withUnsafeBufferPointer { p in
            for i in 0..<p.count where p[i] == 10 {
                out.append(start..<i)
                start = i + 1
            }
        }
        out.append(start..<b.count)
        return out
    }

    /// Applies one to four mutations; returns the bytes and what was done, for failure messages.
    mutating func mutate(_ input: [UInt8]) -> ([UInt8], [String]) {
        var bytes = input
        var log: [String] = []
        for _ in 0...pick(3) {
            switch pick(7) {
            case 0:
                let lines = Self.lines(bytes)
                guard lines.count > 1 else { continue }
                let i = pick(lines.count)
                let r = lines[i]
                // The line and its `\n` (the last line: the `\n` before it).
                bytes.removeSubrange(i + 1 < lines.count ? r.lowerBound..<(r.upperBound + 1) : (r.lowerBound - 1)..<r.upperBound)
                log.append("delete line \(i + 1)")
            case 1:
                let lines = Self.lines(bytes)
                let i = pick(lines.count)
                let r = lines[i]
                bytes.insert(contentsOf: Array(bytes[r]) + [10], at: r.lowerBound)
                log.append("duplicate line \(i + 1)")
            case 2:
                let lines = Self.lines(bytes)
                let (a, b) = (pick(lines.count), pick(lines.count))
                let (i, j) = (min(a, b), max(a, b))
                guard i != j else { continue }
                let (ri, rj) = (lines[i], lines[j])
                bytes = Array(bytes[..<ri.lowerBound]) + bytes[rj] + bytes[ri.upperBound..<rj.lowerBound] + bytes[ri] + bytes[rj.upperBound...]
                log.append("swap lines \(i + 1) and \(j + 1)")
            case 3:
                guard !bytes.isEmpty else { continue }
                let i = pick(bytes.count)
                let bit = UInt8(1) << UInt8(pick(8))
                bytes[i] ^= bit
                log.append("flip bit \(bit) of byte \(i)")
            case 4, 5:
                let i = pick(bytes.count + 1)
                let token = Self.tokens[pick(Self.tokens.count)]
                bytes.insert(contentsOf: token, at: i)
                log.append("insert \(String(decoding: token, as: UTF8.self).debugDescription) at byte \(i)")
            default:
                let n = pick(bytes.count + 1)
                bytes.removeSubrange(n...)
                log.append("truncate to \(n) bytes")
            }
        }
        return (bytes, log)
    }
}

@Suite("Mutation fuzzing")
struct MutationTests {
    static let variantsPerModel = 1_000

    static func models() -> [String] {
        (try? Paths.exampleModels()) ?? []
    }

    @Test func thereAreExampleModelsToMutate() throws {
        #expect(Self.models().count >= 3, "expected the example models under models/")
    }

    @Test(arguments: models())
    func mutatedModelsNeverCrashAndAlwaysExplainThemselves(_ modelPath: String) throws {
        let original = try #require(FileManager.default.contents(atPath: modelPath).map { [UInt8]($0) })
        let name = (modelPath as NSString).lastPathComponent
        let dir = try TemporaryDirectory("agentpath-fuzz")
        let path = dir.file(name)
        var seed: UInt64 = 0xA6E7_9A7E
        for b in name.utf8 { seed = seed &* 31 &+ UInt64(b) }
        var mutator = Mutator(rng: SplitMix64(seed: seed))
        var invalid = 0
        var codesSeen = Set<DiagnosticCode>()
        var failures: [String] = []
        for variant in 0..<Self.variantsPerModel {
            let (bytes, log) = mutator.mutate(original)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let outcome = load(path)
            codesSeen.formUnion(outcome.codes)
            let lineCount = Self.yamlLineCount(bytes)
            let context = "\(name) variant \(variant) (seed \(seed)): \(log.joined(separator: ", "))"

            // Plain checks in the loop (an #expect per diagnostic is slow in debug builds);
            // failures are collected and reported together below.
            if outcome.model == nil {
                invalid += 1
                // A line >= 1, or a file-level diagnostic (line 0): either way it names a file.
                // `SourceLocation.unknown` names none and does not count.
                if !outcome.errors.contains(where: { $0.path != nil }) {
                    failures.append("invalid without a located error: \(context)\n\(outcome.listing)")
                }
            } else if !outcome.errors.isEmpty {
                failures.append("valid model with errors: \(context)\n\(outcome.listing)")
            }
            for d in outcome.diagnostics {
                // Located in the file that was read, at a position inside it.
                let inRange = d.location.line >= 0 && d.location.line <= lineCount && (d.location.line == 0 || d.location.column >= 1)
                if d.path != path || !inRange || d.message.isEmpty {
                    failures.append("bad location or message (file has \(lineCount) lines): \(context)\n\(d.text)")
                }
            }
            _ = DiagnosticsEmitter.text(outcome.diagnostics, color: false)
        }
        #expect(failures.isEmpty, "\(failures.count) problems; the first:\n\(failures.prefix(5).joined(separator: "\n"))")
        // The mutations must actually break things, or this test proves nothing.
        #expect(invalid > Self.variantsPerModel / 4, "only \(invalid) of \(Self.variantsPerModel) variants were invalid")
        #expect(codesSeen.count >= 8, "mutations reached only \(codesSeen.map(\.rawValue).sorted())")
    }

    /// Lines as YAML (and libyaml) counts them: breaks are LF, CR, CR LF, NEL, LS and PS.
    static func yamlLineCount(_ b: [UInt8]) -> Int32 {
        var breaks = 0
        var i = 0
        while i < b.count {
            switch b[i] {
            case 10: breaks += 1
            case 13: breaks += 1; if i + 1 < b.count, b[i + 1] == 10 { i += 1 }
            case 0xC2 where i + 1 < b.count && b[i + 1] == 0x85: breaks += 1; i += 1
            case 0xE2 where i + 2 < b.count && b[i + 1] == 0x80 && (b[i + 2] == 0xA8 || b[i + 2] == 0xA9): breaks += 1; i += 2
            default: break
            }
            i += 1
        }
        return Int32(breaks + 1)
    }

    @Test func mutatorIsDeterministic() {
        var a = Mutator(rng: SplitMix64(seed: 42))
        var b = Mutator(rng: SplitMix64(seed: 42))
        let input = Array("version: 1\nsystem: { name: x }\nzones: []\n".utf8)
        for _ in 0..<50 {
            #expect(a.mutate(input).0 == b.mutate(input).0)
        }
    }
}
