/// AP010 — no attacker needed: an autonomous agent's own error or drift reaches a
/// destructive or irreversible effect that no enforced control covers.
public struct UnattendedHarmRule: Rule {
    public static let info = RuleInfo(
        id: "AP010", slug: "unattended-harm", title: "Autonomous agent can cause irreversible harm on its own",
        rationale: "Models make mistakes and drift from their goals. An autonomous agent with a tool that deletes, pays or runs code will eventually use it wrongly; without an approval or sandbox nothing stops it.",
        kind: .path, defaultScore: nil, cutBy: [.humanApproval, .sandbox, .runtimeAuthorization])

    public init() {}

    public func find(_ input: RuleInput) -> [PathCandidate] {
        let ctx = input.ctx
        var out: [PathCandidate] = []
        for a in ctx.agents where a.autonomy == .autonomous {
            for t in ctx.tools(of: a) {
                for e in [Effect.payment, .delete, .execute] where t.has(e) {
                    let step = input.evaluator.step(a.id, .agent, .autonomousAction, via: t.id,
                        "autonomous agent '\(a.id)' calls '\(t.id)' (\(e.rawValue)) on its own judgement", at: t.info.location(of: "effects"),
                        targets: [a.id, t.id], agent: a, tool: t, effect: e)
                    out.append(PathCandidate(entry: a.id, impactKey: t.id, impact: "'\(t.id)' (\(e.rawValue)) with no one in the loop",
                        summary: "autonomous agent '\(a.id)' can \(e.rawValue) through '\(t.id)' with nothing to stop a mistake",
                        steps: [step], impactScore: Impact.effect(e), impactReason: "irreversible \(e.rawValue)",
                        exposure: 0.7, exposureReason: "the agent's own error or goal drift (no attacker)", actor: a, location: a.info.location(of: "autonomy")))
                }
            }
        }
        return out
    }
}
