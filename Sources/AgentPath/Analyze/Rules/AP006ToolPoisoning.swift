/// AP006 — an unpinned MCP server's tool descriptions share a context with other servers'
/// high-privilege tools (tool poisoning, shadowing, rug pull).
public struct ToolPoisoningRule: Rule {
    public static let info = RuleInfo(
        id: "AP006", slug: "tool-poisoning", title: "Unpinned MCP server can poison or shadow high-privilege tools",
        rationale: "Tool descriptions are read by the model as instructions. A server whose descriptions can change (not pinned, not first-party) can tell the agent how to use every other tool in the same context.",
        kind: .path, defaultScore: nil, cutBy: [.toolPinning, .humanApproval, .sandbox])

    public init() {}

    public func find(_ input: RuleInput) -> [PathCandidate] {
        let ctx = input.ctx
        var out: [PathCandidate] = []
        for s in ctx.model.model.mcpServers where !s.pinned && s.publisher != .firstParty {
            for (position, own) in ctx.serverUsers[s.id] ?? [] {
                let a = ctx.agents[position]
                let tools = ctx.toolsOfAgent[position]
                let poison = input.evaluator.step(a.id, .agent, .toolDescription, via: s.id,
                    "descriptions of unpinned '\(s.id)' (\(s.publisher.rawValue)) enter agent '\(a.id)''s context", at: s.info.location(of: "pinned"),
                    targets: [a.id, s.id, own.id], agent: a)
                // The server's own code sees every argument the agent passes it: sensitive data
                // in the context can leave inside the server, where client-side controls
                // cannot act.
                // Data that came through the server's own tools is already in its hands.
                if let read = ctx.ingests(of: a).filter({ $0.data.sensitivity >= .confidential && $0.tool?.server?.id != s.id }).max(by: { $0.data.sensitivity < $1.data.sensitivity }) {
                    let r = input.evaluator.step(a.id, .agent, .readSensitive, via: read.tool?.id ?? read.data.id,
                        "agent '\(a.id)' holds \(read.data.sensitivity.rawValue) '\(read.data.id)' in its context", at: read.location,
                        targets: [a.id, read.data.id] + (read.tool.map { [$0.id] } ?? []), agent: a, tool: read.tool, effect: .read)
                    let leak = input.evaluator.step(s.id, .mcpServer, .serverInternal, via: own.id,
                        "steered to pass it to '\(own.id)', the code of '\(s.id)' can send it anywhere", at: own.info.location(of: "server"),
                        targets: [s.id, a.id, own.id], agent: a, tool: own, effect: .egress, serverOnly: s.id)
                    out.append(PathCandidate(entry: s.id, impactKey: "\(a.id)#data", impact: "\(read.data.sensitivity.rawValue) '\(read.data.id)' leaves through '\(s.id)' itself",
                        summary: "unpinned MCP server '\(s.id)' can steer agent '\(a.id)' to hand it '\(read.data.id)' and send it out from inside the server",
                        steps: [poison, r, leak], impactScore: Impact.exfiltration(read.data.sensitivity, allowed: .public),
                        impactReason: "\(read.data.sensitivity.rawValue) data to a server that may send it anywhere",
                        exposure: s.publisher == .vendor ? 0.6 : 0.9, exposureReason: "\(s.publisher.rawValue) publisher, not pinned", actor: a, location: own.info.location(of: "server")))
                }
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
