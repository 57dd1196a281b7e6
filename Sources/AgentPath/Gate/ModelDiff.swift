/// Attack paths between two versions of a model, matched by fingerprint: which opened, which
/// closed, which changed severity. A path is open when no enforced control closes it.
public struct ModelDiff: Sendable {
    public struct Change: Sendable, Hashable {
        public var base: FindingRecord
        public var head: FindingRecord
        public var worse: Bool { head.severity > base.severity }
    }

    public enum Closure: String, Sendable { case mitigated, gone }

    public var baseName: String
    public var headName: String
    /// Open in head, and absent or mitigated in base. Worst first.
    public var opened: [FindingRecord]
    /// Open in base, and absent or mitigated in head, with how it closed. Worst first.
    public var closed: [(record: FindingRecord, how: Closure, head: FindingRecord?)]
    /// Open in both, at another severity. Worsened first, then by head severity.
    public var changed: [Change]
    /// Open in both at the same severity.
    public var unchanged: Int
    public var baseOpen: Int
    public var headOpen: Int

    public var isEmpty: Bool { opened.isEmpty && closed.isEmpty && changed.isEmpty }

    public static func compare(base: [FindingRecord], head: [FindingRecord], baseName: String, headName: String) -> ModelDiff {
        let basePaths = base.filter(\.isPath)
        let headPaths = head.filter(\.isPath)
        let baseBy = Dictionary(basePaths.map { ($0.fingerprint, $0) }, uniquingKeysWith: { a, _ in a })
        let headBy = Dictionary(headPaths.map { ($0.fingerprint, $0) }, uniquingKeysWith: { a, _ in a })
        var opened: [FindingRecord] = []
        var changed: [Change] = []
        var unchanged = 0
        for h in headPaths where h.isOpen {
            guard let b = baseBy[h.fingerprint], b.isOpen else {
                opened.append(h)
                continue
            }
            if b.severity != h.severity { changed.append(Change(base: b, head: h)) } else { unchanged += 1 }
        }
        var closed: [(record: FindingRecord, how: Closure, head: FindingRecord?)] = []
        for b in basePaths where b.isOpen {
            if let h = headBy[b.fingerprint] {
                if !h.isOpen { closed.append((b, .mitigated, h)) }
            } else {
                closed.append((b, .gone, nil))
            }
        }
        opened.sort(by: worstFirst)
        closed.sort { worstFirst($0.record, $1.record) }
        changed.sort { a, b in
            if a.worse != b.worse { return a.worse }
            return worstFirst(a.head, b.head)
        }
        return ModelDiff(baseName: baseName, headName: headName, opened: opened, closed: closed, changed: changed, unchanged: unchanged,
                         baseOpen: basePaths.count(where: \.isOpen), headOpen: headPaths.count(where: \.isOpen))
    }

    /// Severity, then score, then rule and fingerprint: a total, stable order.
    static func worstFirst(_ a: FindingRecord, _ b: FindingRecord) -> Bool {
        if a.severity != b.severity { return a.severity > b.severity }
        if a.score != b.score { return a.score > b.score }
        if a.rule != b.rule { return a.rule < b.rule }
        return a.fingerprint < b.fingerprint
    }
}
