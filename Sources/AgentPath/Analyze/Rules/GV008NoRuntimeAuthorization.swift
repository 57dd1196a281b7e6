/// GV008 — no runtime authorization point anywhere in the system.
public struct NoRuntimeAuthorizationRule: Rule {
    public static let info = RuleInfo(
        id: "GV008", slug: "no-runtime-authorization", title: "No runtime authorization point",
        rationale: "Approval-time checks say what was approved, not what an agent does at run time. Without a policy decision at each tool call, delegation and credential use, nothing enforces intents.",
        kind: .governance, defaultScore: 5, cutBy: [.runtimeAuthorization])

    public init() {}

    public func find(_ input: RuleInput) -> [PathCandidate] {
        let m = input.ctx.model.model
        guard !m.agents.isEmpty, !m.controls.contains(where: { $0.kind == .runtimeAuthorization && $0.isEnforced }) else { return [] }
        let unguarded = m.agents.map(\.id)
        return [.governance(Self.info, element: m.system.id, key: "system", impact: "tool calls are not authorized at request time",
                            summary: "no enforced runtime_authorization control: \(unguarded.count) agent(s) call tools with no request-time decision",
                            at: m.system.location)]
    }
}
