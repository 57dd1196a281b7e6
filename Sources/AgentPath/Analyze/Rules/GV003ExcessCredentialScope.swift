/// GV003 — a credential grants more than any tool that uses it needs.
public struct ExcessCredentialScopeRule: Rule {
    public static let info = RuleInfo(
        id: "GV003", slug: "excess-credential-scope", title: "Credential grants more than its tools use",
        rationale: "Every grant no tool needs is reach an attacker gets for free when the credential leaks or its holder is steered. Scope credentials to the task.",
        kind: .governance, defaultScore: 4, cutBy: [.jitCredentials])

    public init() {}

    public func find(_ input: RuleInput) -> [PathCandidate] {
        let ctx = input.ctx
        return ctx.model.model.credentials.compactMap { c in
            guard !c.grants.isEmpty else { return nil }
            // What the tools that use it touch: tools naming it, and tools of agents holding it.
            var used = Set<String>()
            var users = (ctx.toolsNamingCredential[c.id] ?? []).map { ctx.model.model.tools[$0] }
            for a in ctx.holders(ofCredential: c.id) { users += ctx.tools(of: a).filter { $0.credential == nil || $0.credential?.id == c.id } }
            for t in users {
                used.insert(t.id)
                used.formUnion(t.reads.map(\.id))
                used.formUnion(t.writes.map(\.id))
            }
            let unused = c.grants.map(\.id).filter { !used.contains($0) }
            guard !unused.isEmpty else { return nil }
            let worst = unused.compactMap { ctx.data($0)?.sensitivity }.max()
            let score = worst.map { $0 >= .restricted ? 6.5 : ($0 >= .confidential ? 5.5 : 4) } ?? (Self.info.defaultScore ?? 4)
            return .governance(Self.info, element: c.id, impact: "unused grants: \(unused.joined(separator: ", "))",
                               summary: "credential '\(c.id)' grants \(unused.map { "'\($0)'" }.joined(separator: ", ")), which no tool using it touches",
                               at: c.info.location(of: "grants"), score: score)
        }
    }
}
