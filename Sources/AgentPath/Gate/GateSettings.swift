/// The gate settings `check`, `report` and `build` share: the threshold (the command line,
/// then `agentpath.yaml` beside the model or `--config`, then high) and the waivers file
/// (`--waivers`, then the config's `waivers`). One loader, so the three commands never disagree.
public struct GateSettings: Sendable {
    /// The options that choose the settings, as the command line gives them.
    public struct Options: Sendable {
        /// `--fail-on`, already parsed; nil leaves it to `agentpath.yaml`, then `high`.
        public var failOn: Gate?
        /// `--config`; nil looks for `agentpath.yaml` beside the model.
        public var config: String?
        /// `--no-config`: ignore `agentpath.yaml`.
        public var noConfig = false
        /// `--waivers`; nil takes the config's.
        public var waivers: String?

        public init(failOn: Gate? = nil, config: String? = nil, noConfig: Bool = false, waivers: String? = nil) {
            self.failOn = failOn
            self.config = config
            self.noConfig = noConfig
            self.waivers = waivers
        }
    }

    public var config: ProjectConfig?
    public var gate: Gate
    /// Where the threshold came from: `--fail-on`, the config file's path, or `default`.
    public var gateSource: String
    public var waivers: WaiverSet?

    public init(config: ProjectConfig? = nil, gate: Gate = Gate(), gateSource: String = "default", waivers: WaiverSet? = nil) {
        self.config = config
        self.gate = gate
        self.gateSource = gateSource
        self.waivers = waivers
    }

    /// Reads `agentpath.yaml` and the waivers file for `model`. Nil when either is unreadable or
    /// invalid; the located errors are then in `diagnostics` (give it the model's file table so
    /// the locations share one table). `frameworks` resolves each waiver's `framework:` item.
    public static func load(model: String, _ o: Options, frameworks: FrameworkSet, diagnostics: DiagnosticCollector) -> GateSettings? {
        var config: ProjectConfig?
        if !o.noConfig, let path = o.config ?? ProjectConfig.discover(forModel: model) {
            config = ProjectConfig.load(path: path, diagnostics: diagnostics)
            if config == nil { return nil }
        }
        let gate = o.failOn ?? config?.gate ?? Gate()
        let source = o.failOn != nil ? "--fail-on" : config?.gate != nil ? config!.path : "default"
        var waivers: WaiverSet?
        if let path = o.waivers ?? config?.waivers {
            waivers = WaiverLoader(frameworks: frameworks).load(path: path, diagnostics: diagnostics)
            if waivers == nil { return nil }
        }
        return GateSettings(config: config, gate: gate, gateSource: source, waivers: waivers)
    }

    /// The gate's verdicts for an analysis under these settings (no baseline).
    public func evaluate(_ analysis: AnalysisResult, today: CalendarDate) -> GateResult {
        gate.evaluate(analysis, waivers: waivers, today: today)
    }

    /// How the threshold was chosen, in words: `default fail-on high`, `--fail-on critical`,
    /// `fail_on critical from project/agentpath.yaml`.
    public var gateSourceText: String {
        gateSource == "default" ? "default fail-on \(gate.failOnText)"
            : gateSource == "--fail-on" ? "--fail-on \(gate.failOnText)"
            : "fail_on \(gate.failOnText) from \(gateSource)"
    }
}
