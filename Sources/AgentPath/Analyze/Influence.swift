/// How an origin's content reaches agents: the shortest chain to each agent, preferring a
/// chain that no enforced control blocks (docs/analysis.md, "Influence").
public struct InfluenceChain: Sendable {
    public var steps: [PathStep]
    public var isOpen: Bool
}

public struct Influence: Sendable {
    public let origin: Origin
    /// agent id → chain. Only direct influence (context, delegation, returns); hops through
    /// stores are rule AP005's.
    public let reached: [String: InfluenceChain]
    /// Agent ids in the order they were reached (shortest first), for stable output.
    public let order: [String]

    public init(origin: Origin, ctx: AnalysisContext, evaluator: ControlEvaluator) {
        self.origin = origin
        var reached: [String: InfluenceChain] = [:]
        var order: [String] = []
        // Phase 1 walks only unblocked steps; phase 2 fills in agents reachable only through
        // blocked ones, so a mitigated chain is reported as such.
        for openOnly in [true, false] {
            var queue: [(Agent, [PathStep], Bool)] = []
            var expanded = Set<String>()
            if !openOnly {
                // Phase 2 walks on from every agent phase 1 reached, through blocked steps too.
                for id in order { if let a = ctx.agent(id), let c = reached[id] { queue.append((a, c.steps, c.isOpen)) } }
            }
            for hop in origin.firstHops {
                let open = hop.steps.allSatisfy { $0.blockedBy.isEmpty }
                if openOnly && !open { continue }
                queue.append((hop.agent, hop.steps, open))
            }
            var head = 0
            while head < queue.count {
                let (agent, queuedSteps, queuedOpen) = queue[head]
                head += 1
                guard expanded.insert(agent.id).inserted else { continue }
                if reached[agent.id] == nil {
                    reached[agent.id] = InfluenceChain(steps: queuedSteps, isOpen: queuedOpen)
                    order.append(agent.id)
                }
                let (steps, open) = (reached[agent.id]!.steps, reached[agent.id]!.isOpen)
                for (next, technique, d, at) in ctx.flowNeighbours(of: agent) where !expanded.contains(next.id) {
                    let text: String
                    if technique == .delegate {
                        text = "agent '\(agent.id)' delegates to '\(next.id)' with \(d.context.rawValue) context"
                    } else {
                        text = "sub-agent '\(agent.id)' returns a \(d.returns.rawValue) result to '\(next.id)'"
                    }
                    let s = evaluator.step(next.id, .agent, technique, via: agent.id, text, at: at, targets: [next.id], agent: next)
                    let stepOpen = s.blockedBy.isEmpty
                    if openOnly && !stepOpen { continue }
                    queue.append((next, steps + [s], open && stepOpen))
                }
            }
        }
        self.reached = reached
        self.order = order
    }
}
