/// AP006 — an unpinned MCP server's tool descriptions share a context with other servers'
/// high-privilege tools (tool poisoning, shadowing, rug pull).
public struct ToolPoisoningRule: Rule {
    public static let info = RuleInfo(
        id: "AP006", slug: "tool-poisoning", title: "Unpinned MCP server can poison or shadow high-privilege tools",
        rationale: "Tool descriptions are read by the model as instructions. A server whose descriptions can change (not pinned, not first-party) can tell the agent how to use every other tool in the same context.",
        kind: .path, defaultScore: nil, cutBy: [.toolPinning, .humanApproval])

    public init() {}

    public func find(_ input: RuleInput) -> [PathCandidate] {
        let ctx = input.ctx
        var out: [PathCandidate] = []
        for s in ctx.model.model.mcpServers where !s.pinned && s.publisher != .firstParty {
            for a in ctx.agents {
                let tools = ctx.tools(of: a)
                guard let own = tools.first(where: { $0.server?.id == s.id }) else { continue }
                let poison = input.evaluator.step(a.id, .agent, .toolDescription, via: s.id,
                    "descriptions of unpinned '\(s.id)' (\(s.publisher.rawValue)) enter agent '\(a.id)''s context", at: s.info.location(of: "pinned"),
                    targets: [a.id, s.id, own.id], agent: a)
                for t in tools where t.server?.id != s.id {
                    let effects = ctx.consequentialEffects(of: t)
                    let sens = t.reads.compactMap { ctx.data($0.id)?.sensitivity }.max()
                    let e: Effect
                    let score: Double
                    if let worst = effects.max(by: { Impact.effect($0) < Impact.effect($1) }), Impact.effect(worst) >= 6.5 {
                        e = worst
                        score = Impact.effect(worst)
                    } else if let sens, sens >= .confidential {
                        e = .read
                        score = Impact.effect(.read, data: sens) + 1.5
                    } else { continue }
                    let other = t.server.map { "'\($0.id)'" } ?? "no server"
                    let act = input.evaluator.step(a.id, .agent, e == .read ? .readSensitive : .invokeConsequential, via: t.id,
                        "the poisoned description steers '\(a.id)''s use of '\(t.id)' (\(e.rawValue), from \(other))", at: t.info.location(of: "effects"),
                        targets: [a.id, t.id], agent: a, tool: t, effect: e)
                    out.append(PathCandidate(entry: s.id, impactKey: a.id, impact: "'\(s.id)' steers the high-privilege tools of '\(a.id)'",
                        summary: "unpinned MCP server '\(s.id)' shares agent '\(a.id)''s context with '\(t.id)' (\(e.rawValue))",
                        steps: [poison, act], impactScore: score, impactReason: "\(e.rawValue) through '\(t.id)'",
                        exposure: s.publisher == .vendor ? 0.6 : 0.9, exposureReason: "\(s.publisher.rawValue) publisher, not pinned", actor: a, location: s.info.location(of: "pinned")))
                }
            }
        }
        return out
    }
}
