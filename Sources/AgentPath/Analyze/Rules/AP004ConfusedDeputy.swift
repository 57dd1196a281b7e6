/// AP004 — someone without a grant reaches, through an agent that holds it, what they could
/// not reach themselves, with no per-request authorization on their behalf.
public struct ConfusedDeputyRule: Rule {
    public static let info = RuleInfo(
        id: "AP004", slug: "confused-deputy", title: "Agent acts as a confused deputy",
        rationale: "An agent that acts with its own broad grant for whoever asks lets each requester reach what the agent can. Authorization must be decided per request, for the person or agent the request is made for.",
        kind: .path, defaultScore: nil, cutBy: [.runtimeAuthorization])

    public init() {}

    public func find(_ input: RuleInput) -> [PathCandidate] {
        let ctx = input.ctx
        var out: [PathCandidate] = []
        let budget = input.budget
        // People: only where their own access is stated, or they are outsiders (who have none).
        // Outsiders first, like entry points ranked by exposure: when more people ask one agent
        // than the budget keeps per impact, the most exposed requesters are the ones kept.
        let isExternal = { (h: Human) in h.role == .external || ctx.zoneTrust(h.zone) == .untrusted }
        let people = ctx.model.model.humans.filter(isExternal) + ctx.model.model.humans.filter { !isExternal($0) }
        for h in people {
            let external = isExternal(h)
            guard external || h.info.keys["access"] != nil else { continue }
            let own = Set(h.access.map(\.id))
            for u in h.uses {
                guard let a = ctx.agent(u.id), a.identity?.kind != .userDelegated else { continue }
                for (asset, score, reason, at, effect) in reach(of: a, ctx) where !own.contains(asset) && budget.take(h.id, a.id) {
                    let ask = input.evaluator.step(a.id, .agent, .onBehalf, via: h.id, "'\(h.id)' asks agent '\(a.id)' to act for them", at: u.location, targets: [h.id, a.id], agent: a, effect: effect)
                    let act = input.evaluator.step(a.id, .agent, .onBehalf, via: asset, "agent '\(a.id)' reaches '\(asset)' with its own grant, which '\(h.id)' lacks", at: at, targets: [a.id, asset], agent: a, tool: ctx.tool(asset), effect: effect)
                    out.append(PathCandidate(entry: h.id, impactKey: "\(a.id)", impact: "'\(h.id)' reaches what only agent '\(a.id)' may reach",
                        summary: "'\(h.id)' reaches '\(asset)' through agent '\(a.id)' without a grant of their own",
                        steps: [ask, act], impactScore: score, impactReason: reason, exposure: external ? 1.0 : 0.6,
                        exposureReason: external ? "an outsider can ask the agent" : "an insider without the grant can ask the agent", actor: a, location: act.location))
                }
            }
        }
        // Agents: a steered parent gains, through a sub-agent, what it does not hold itself.
        var reachOf: [String: [(String, Double, String, SourceLocation, Effect)]] = [:]
        func cachedReach(_ a: Agent) -> [(String, Double, String, SourceLocation, Effect)] {
            if let r = reachOf[a.id] { return r }
            let r = reach(of: a, ctx)
            reachOf[a.id] = r
            return r
        }
        // The hop and action steps and what a parent holds do not depend on the origin.
        var owned: [String: Set<String>] = [:]
        var delSteps: [String: PathStep] = [:]
        var actSteps: [String: PathStep] = [:]
        for inf in input.influences {
            for pid in inf.order {
                guard let p = ctx.agent(pid), !p.delegates.isEmpty, let chain = inf.chain(pid) else { continue }
                if owned[pid] == nil { owned[pid] = Set(cachedReach(p).map(\.0)) }
                let own = owned[pid]!
                for d in p.delegates where !d.freshAuthorization {
                    guard let c = ctx.agent(d.to.id) else { continue }
                    for (asset, score, reason, at, effect) in cachedReach(c) where !own.contains(asset) && budget.take(inf.origin.id, "\(p.id)->\(c.id)") {
                        let delKey = "\(p.id)>\(c.id)"
                        let del = delSteps[delKey] ?? input.evaluator.step(c.id, .agent, .delegate, via: p.id, "steered '\(p.id)' delegates to '\(c.id)'", at: d.location, targets: [c.id], agent: c)
                        delSteps[delKey] = del
                        let actKey = "\(p.id)>\(c.id)|\(asset)|\(effect.rawValue)"
                        let act = actSteps[actKey] ?? input.evaluator.step(c.id, .agent, .onBehalf, via: asset, "agent '\(c.id)' reaches '\(asset)' for '\(p.id)', which lacks that grant", at: at, targets: [c.id, asset], agent: c, tool: ctx.tool(asset), effect: effect)
                        actSteps[actKey] = act
                        out.append(PathCandidate(entry: inf.origin.id, impactKey: "\(p.id)->\(c.id)", impact: "'\(p.id)' reaches what only '\(c.id)' may reach",
                            summary: "\(inf.origin.text) steers '\(p.id)' to reach '\(asset)' through sub-agent '\(c.id)'",
                            steps: chain.steps + [del, act], impactScore: score, impactReason: reason, exposure: inf.origin.exposure,
                            exposureReason: inf.origin.exposureReason, actor: c, location: act.location))
                    }
                }
            }
        }
        return out
    }

    /// Sensitive data (confidential and above) and consequential tools an agent reaches.
    func reach(of a: Agent, _ ctx: AnalysisContext) -> [(String, Double, String, SourceLocation, Effect)] {
        var out: [(String, Double, String, SourceLocation, Effect)] = []
        var seen = Set<String>()
        for i in ctx.ingests(of: a) where i.data.sensitivity >= .confidential && seen.insert(i.data.id).inserted {
            out.append((i.data.id, Impact.effect(.read, data: i.data.sensitivity) + 1.5, "reads \(i.data.sensitivity.rawValue) '\(i.data.id)'", i.location, .read))
        }
        for t in ctx.tools(of: a) {
            let effects = ctx.consequentialEffects(of: t).filter { $0 != .write && $0 != .spawn }
            guard let e = effects.max(by: { Impact.effect($0) < Impact.effect($1) }), seen.insert(t.id).inserted else { continue }
            out.append((t.id, Impact.effect(e), "\(e.rawValue) through '\(t.id)'", t.info.location(of: "effects"), e))
        }
        return out
    }
}
