/// AP007 — an unauthenticated delegation channel feeds an agent that holds a consequential
/// sink, so a forged message (a forged approval, a fake task) is acted on.
public struct ForgedMessageRule: Rule {
    public static let info = RuleInfo(
        id: "AP007", slug: "forged-message", title: "Unauthenticated agent-to-agent messages reach consequential tools",
        rationale: "A sub-agent that cannot tell whether a task really came from its delegator acts on anything that reaches its channel, including forged approvals.",
        kind: .path, defaultScore: nil, cutBy: [.messageSigning])

    public init() {}

    public func find(_ input: RuleInput) -> [PathCandidate] {
        let ctx = input.ctx
        var out: [PathCandidate] = []
        for p in ctx.agents {
            for d in p.delegates where d.authentication == .none {
                guard let c = ctx.agent(d.to.id) else { continue }
                let crosses = p.zone?.id != c.zone?.id
                for t in ctx.tools(of: c) {
                    // The worst consequential effect, or else the egress a forged task can misuse.
                    let worst = ctx.consequentialEffects(of: t).filter { Impact.effect($0) >= 6.5 }.max { Impact.effect($0) < Impact.effect($1) }
                    guard let e = worst ?? (t.egress == .any ? .egress : nil) else { continue }
                    let forge = input.evaluator.step(c.id, .agent, .forgeMessage, via: p.id,
                        "a message claiming to come from '\(p.id)' reaches '\(c.id)'; the channel is not authenticated", at: d.location,
                        targets: [c.id, p.id], agent: c)
                    let act = input.evaluator.step(c.id, .agent, e == .egress ? .egress : .invokeConsequential, via: t.id, "agent '\(c.id)' acts on it with '\(t.id)' (\(e.rawValue))",
                        at: t.info.location(of: "effects"), targets: [c.id, t.id], agent: c, tool: t, effect: e)
                    out.append(PathCandidate(entry: "\(p.id)->\(c.id)", impactKey: c.id, impact: "forged tasks drive '\(c.id)'",
                        summary: "the delegation '\(p.id)' → '\(c.id)' is unauthenticated and '\(c.id)' holds '\(t.id)' (\(e.rawValue))",
                        steps: [forge, act], impactScore: Impact.effect(e), impactReason: "\(e.rawValue) through '\(t.id)'",
                        exposure: crosses ? 0.8 : 0.5, exposureReason: crosses ? "the channel crosses a zone boundary" : "anyone on the channel inside the zone can forge a message",
                        actor: c, location: d.location))
                }
            }
        }
        return out
    }
}
