/// Facts the rules ask about, computed once from a validated model: which agent reads
/// what, holds which tools and credentials, where it can send data, and which controls
/// cover which element. Rules only read it.
public struct AnalysisContext: Sendable {
    public let model: ValidatedModel
    public let agents: [Agent]
    let agentIndex: [String: Int]
    let toolsByID: [String: Tool]
    let dataByID: [String: DataStore]
    let serversByID: [String: MCPServer]
    let credentialsByID: [String: Credential]
    /// Every control (any status) by the ids it applies to.
    let controlsByTarget: [String: [Control]]
    /// Agents that delegate to each agent.
    let delegators: [String: [(parent: Agent, delegation: Delegation)]]
    /// Agents that hold each tool.
    let holders: [String: [String]]
    /// Per agent (by position): its tools, what enters its context and where it can send
    /// data. Computed once; the rules ask for them many times.
    let toolsOfAgent: [[Tool]]
    let ingestsOfAgent: [[Ingest]]
    let sinksOfAgent: [[EgressSink]]
    /// data id → (agent position, ingest) for every agent that reads it.
    let readersOfData: [String: [(Int, Ingest)]]
    /// credential id → agent positions that hold it (directly, through a tool, or passed down).
    let credentialHolders: [String: [Int]]
    /// The hops of `flowNeighbours` as agent positions, for fast reachability questions.
    let flowNext: [[Int]]
    /// Tool positions: by id; by the credential they name; and, for tools naming none, by the
    /// data they read or write (what a credential granting that data lets its holder operate).
    let toolPosition: [String: Int]
    let toolsNamingCredential: [String: [Int]]
    let unboundToolsTouching: [String: [Int]]
    /// server id → (agent position, the agent's first tool on that server), in model order.
    let serverUsers: [String: [(agent: Int, tool: Tool)]]
    /// credential id → MCP servers that hold it, in model order.
    let serversHolding: [String: [MCPServer]]
    /// data id → positions of the tools that write it.
    let toolsWriting: [String: [Int]]

    public init(_ model: ValidatedModel) {
        self.model = model
        let m = model.model
        agents = m.agents
        agentIndex = Dictionary(m.agents.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        toolsByID = Dictionary(m.tools.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        dataByID = Dictionary(m.data.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        serversByID = Dictionary(m.mcpServers.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        credentialsByID = Dictionary(m.credentials.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var byTarget: [String: [Control]] = [:]
        for c in m.controls {
            for t in c.appliesTo { byTarget[t.id, default: []].append(c) }
        }
        controlsByTarget = byTarget
        var del: [String: [(Agent, Delegation)]] = [:]
        var hold: [String: [String]] = [:]
        for a in m.agents {
            for d in a.delegates { del[d.to.id, default: []].append((a, d)) }
            for t in a.tools { hold[t.id, default: []].append(a.id) }
        }
        delegators = del
        holders = hold
        let toolsByID = self.toolsByID
        let tools: [[Tool]] = m.agents.map { a in a.tools.compactMap { toolsByID[$0.id] } }
        toolsOfAgent = tools
        let dataByID = self.dataByID
        let ingests: [[Ingest]] = m.agents.indices.map { Self.computeIngests(m.agents[$0], tools[$0], dataByID) }
        ingestsOfAgent = ingests
        sinksOfAgent = m.agents.indices.map { Self.computeSinks(m.agents[$0], tools[$0], dataByID) }
        var readers: [String: [(Int, Ingest)]] = [:]
        var credHolders: [String: [Int]] = [:]
        for (i, a) in m.agents.enumerated() {
            for g in ingests[i] { readers[g.data.id, default: []].append((i, g)) }
            var held = Set(a.credentials.map(\.id))
            for t in tools[i] { if let c = t.credential { held.insert(c.id) } }
            for (_, d) in del[a.id] ?? [] { held.formUnion(d.passes.map(\.id)) }
            for c in held.sorted() { credHolders[c, default: []].append(i) }
        }
        readersOfData = readers
        credentialHolders = credHolders
        let index = agentIndex
        var next = [[Int]](repeating: [], count: m.agents.count)
        for (i, a) in m.agents.enumerated() {
            for d in a.delegates where d.context != .none { if let c = index[d.to.id] { next[i].append(c) } }
            for (p, _) in del[a.id] ?? [] { if let pi = index[p.id] { next[i].append(pi) } }
        }
        flowNext = next
        var position: [String: Int] = [:]
        var naming: [String: [Int]] = [:]
        var touching: [String: [Int]] = [:]
        for (i, t) in m.tools.enumerated() {
            if position[t.id] == nil { position[t.id] = i }
            if let c = t.credential {
                naming[c.id, default: []].append(i)
            } else {
                for d in Set(t.reads.map(\.id) + t.writes.map(\.id)) { touching[d, default: []].append(i) }
            }
        }
        toolPosition = position
        toolsNamingCredential = naming
        unboundToolsTouching = touching
        var writing: [String: [Int]] = [:]
        for (i, t) in m.tools.enumerated() {
            var seen = Set<String>()
            for w in t.writes where seen.insert(w.id).inserted { writing[w.id, default: []].append(i) }
        }
        toolsWriting = writing
        var users: [String: [(agent: Int, tool: Tool)]] = [:]
        for (i, ts) in tools.enumerated() {
            var seen = Set<String>()
            for t in ts { if let sid = t.server?.id, seen.insert(sid).inserted { users[sid, default: []].append((i, t)) } }
        }
        serverUsers = users
        var holding: [String: [MCPServer]] = [:]
        for s in m.mcpServers { if let c = s.credential?.id { holding[c, default: []].append(s) } }
        serversHolding = holding
    }

    public func position(of agent: String) -> Int? { agentIndex[agent] }

    public func agent(_ id: String) -> Agent? { agentIndex[id].map { agents[$0] } }
    public func tool(_ id: String) -> Tool? { toolsByID[id] }
    public func data(_ id: String) -> DataStore? { dataByID[id] }
    public func server(_ id: String) -> MCPServer? { serversByID[id] }
    public func credential(_ id: String) -> Credential? { credentialsByID[id] }

    public func tools(of agent: Agent) -> [Tool] {
        agentIndex[agent.id].map { toolsOfAgent[$0] } ?? agent.tools.compactMap { toolsByID[$0.id] }
    }

    /// Agents that read a data element, with how.
    public func readers(of data: String) -> [(Agent, Ingest)] {
        (readersOfData[data] ?? []).map { (agents[$0.0], $0.1) }
    }

    /// All controls (any status) applied to any of these ids.
    public func controls(on ids: [String]) -> [Control] {
        var seen = Set<String>()
        var out: [Control] = []
        for id in ids {
            for c in controlsByTarget[id] ?? [] where seen.insert(c.id).inserted { out.append(c) }
        }
        return out
    }

    // MARK: what enters an agent's context

    /// A way content gets into an agent's context.
    public struct Ingest: Sendable {
        public var data: DataStore
        /// The tool that returns it; nil for direct reads and memory.
        public var tool: Tool?
        public var viaMemory: Bool
        public var location: SourceLocation
    }

    public func ingests(of agent: Agent) -> [Ingest] {
        agentIndex[agent.id].map { ingestsOfAgent[$0] } ?? Self.computeIngests(agent, tools(of: agent), dataByID)
    }

    static func computeIngests(_ agent: Agent, _ tools: [Tool], _ dataByID: [String: DataStore]) -> [Ingest] {
        var out: [Ingest] = []
        var seen = Set<String>()
        for r in agent.reads {
            if let d = dataByID[r.id], seen.insert("d:" + d.id).inserted {
                out.append(Ingest(data: d, tool: nil, viaMemory: false, location: r.location))
            }
        }
        for m in agent.memory where m.access.reads {
            if let d = dataByID[m.data.id], seen.insert("m:" + d.id).inserted {
                out.append(Ingest(data: d, tool: nil, viaMemory: true, location: m.data.location))
            }
        }
        for t in tools {
            for r in t.reads {
                if let d = dataByID[r.id], seen.insert("t:\(t.id):\(d.id)").inserted {
                    out.append(Ingest(data: d, tool: t, viaMemory: false, location: r.location))
                }
            }
        }
        return out
    }

    // MARK: sinks

    /// A way an agent can send content out of the organisation.
    public struct EgressSink: Sendable {
        public var agent: Agent
        public var technique: StepTechnique
        /// The tool used, if any (rendered output has none).
        public var tool: Tool?
        /// The public-audience data written, for public writes.
        public var target: DataStore?
        /// The most sensitive data this sink may carry without it being a leak.
        public var allowed: Sensitivity
        public var location: SourceLocation
        public var key: String { tool?.id ?? target?.id ?? "\(agent.id)#output" }
        public var destination: String {
            if let target { return "\(target.id) (\(target.audience.rawValue)-audience)" }
            if tool != nil { return "the network" }
            return "URLs its client fetches"
        }
    }

    /// Public writes first, then network egress, then rendered output: the order a reader
    /// recognises a leak in.
    public func egressSinks(of agent: Agent) -> [EgressSink] {
        agentIndex[agent.id].map { sinksOfAgent[$0] } ?? Self.computeSinks(agent, tools(of: agent), dataByID)
    }

    static func computeSinks(_ agent: Agent, _ tools: [Tool], _ dataByID: [String: DataStore]) -> [EgressSink] {
        var out: [EgressSink] = []
        var network: [EgressSink] = []
        for t in tools {
            if t.egress == .any || (t.has(.egress) && t.egress != .allowlist && t.egress != .none) {
                network.append(EgressSink(agent: agent, technique: .egress, tool: t, target: nil, allowed: .public, location: t.info.location(of: "egress")))
            }
            guard t.has(.write) || t.has(.egress) else { continue }
            for w in t.writes {
                guard let d = dataByID[w.id] else { continue }
                switch d.audience {
                case .public: out.append(EgressSink(agent: agent, technique: .publicWrite, tool: t, target: d, allowed: .public, location: w.location))
                case .partner: out.append(EgressSink(agent: agent, technique: .publicWrite, tool: t, target: d, allowed: .internal, location: w.location))
                default: break
                }
            }
        }
        out += network
        if agent.output.fetchesURLs == .auto, agent.output.renders != .text {
            out.append(EgressSink(agent: agent, technique: .renderFetch, tool: nil, target: nil, allowed: .public, location: agent.info.location(of: "output")))
        }
        return out
    }

    public static let consequentialEffects: [Effect] = [.payment, .delete, .execute, .credentialIssue, .spawn, .write]

    /// Tool effects that change the world, most severe first.
    public func consequentialEffects(of tool: Tool) -> [Effect] {
        Self.consequentialEffects.filter { tool.has($0) }
    }

    /// The sensitivity of the most sensitive data an agent can read (for impact of steering it).
    public func maxReadSensitivity(_ agent: Agent) -> Sensitivity? {
        ingests(of: agent).map(\.data.sensitivity).max()
    }

    // MARK: delegation flows

    /// Agents that content from `agent` flows to in one hop: children that receive context,
    /// and parents that receive its result.
    public func flowNeighbours(of agent: Agent) -> [(Agent, StepTechnique, Delegation, SourceLocation)] {
        var out: [(Agent, StepTechnique, Delegation, SourceLocation)] = []
        for d in agent.delegates where d.context != .none {
            if let child = self.agent(d.to.id) { out.append((child, .delegate, d, d.location)) }
        }
        for (parent, d) in delegators[agent.id] ?? [] {
            out.append((parent, .return, d, d.location))
        }
        return out
    }

    public func zoneTrust(_ ref: Ref?) -> ZoneTrust? {
        guard let ref, let z = model.zone(ref.id) else { return nil }
        return z.trust
    }

    /// Whether content in this data element can be written by someone outside.
    public func isUntrusted(_ d: DataStore) -> Bool { d.trust == .untrusted }
}
