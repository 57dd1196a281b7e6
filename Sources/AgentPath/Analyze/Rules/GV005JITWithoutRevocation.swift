/// GV005 — a long-running agent holds just-in-time credentials that are never renewed or revoked.
public struct JITWithoutRevocationRule: Rule {
    public static let info = RuleInfo(
        id: "GV005", slug: "jit-without-revocation", title: "Long-running agent's JIT credentials are never revoked",
        rationale: "Just-in-time credentials only shrink exposure if they end with the task. A long-running agent whose JIT tokens never expire or get revoked holds standing access in disguise.",
        kind: .governance, defaultScore: 5, cutBy: [.jitCredentials])

    public init() {}

    public func find(_ input: RuleInput) -> [PathCandidate] {
        let ctx = input.ctx
        var out: [PathCandidate] = []
        for a in ctx.agents where a.longRunning {
            for r in a.credentials {
                guard let c = ctx.credential(r.id), c.issued == .jit, c.revocation == .none || c.ttl == .never else { continue }
                out.append(.governance(Self.info, element: a.id, key: "\(a.id):\(c.id)", impact: "standing access through '\(c.id)'",
                    summary: "long-running agent '\(a.id)' holds JIT credential '\(c.id)' with ttl \(c.ttl) and revocation \(c.revocation.rawValue)",
                    at: r.location))
            }
        }
        return out
    }
}
