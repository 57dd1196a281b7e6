import Foundation
import Testing
@testable import AgentPath

/// Issue #7: the report and `build` read agentpath.yaml and the waivers as `check` does. The
/// fixture project (Fixtures/report/waived/) fails at critical; one waiver accepts the AP002
/// shell path until 2026-12-31, the other (for the AP001 wiki path) expired after 2026-06-30.
@Suite struct ReportWaiverTests {
    static let project = RepoPaths.path("Tests/AgentPathTests/Fixtures/report/waived")
    static let model = project + "/model.yaml"
    static let templates = try! ReportTemplates.load(directory: RepoPaths.path("templates/report"))
    static let frameworks = FrameworkFixtures.builtin.set
    static let shellPath = "5afdeb2d6f99a235"   // AP002, critical, waived until 2026-12-31
    static let wikiPath = "dc753e7d67f9bf4c"    // AP001, critical, its waiver expired on 2026-06-30
    static let acceptance = "accepted by platform-security until 2026-12-31: shell.run only runs in a throwaway container &lt;no network&gt; &amp; *no* secrets. (ASI02)"

    struct Rendered {
        var result: GateResult
        var html: String
        var markdown: String
    }

    static func render(today: String, _ options: GateSettings.Options = .init()) throws -> Rendered {
        let diagnostics = DiagnosticCollector()
        let vm = try #require(Pipeline().load(path: model, diagnostics: diagnostics))
        let settings = try #require(GateSettings.load(model: model, options, frameworks: frameworks, diagnostics: diagnostics), "\(diagnostics.sorted)")
        let analysis = Analyzer(frameworks: frameworks).analyze(vm)
        let result = settings.evaluate(analysis, today: CalendarDate.parse(today)!)
        return Rendered(result: result,
                        html: ReportHTML.render(model: vm, analysis: analysis, frameworks: frameworks, gate: result, templates: templates),
                        markdown: ReportMarkdown.render(model: vm, analysis: analysis, gate: result))
    }

    /// The `<details>` element of one path, by its rule.
    static func pathElement(_ html: String, rule: String) throws -> String {
        let blocks = html.components(separatedBy: "<details class=\"path ").dropFirst()
        return try #require(blocks.first { $0.contains("<span class=\"rule\">\(rule)</span>") }, "no path \(rule)")
            .components(separatedBy: "</details>")[0]
    }

    /// The cells of one row of the summary's status table.
    static func statusRow(_ html: String, _ severity: String) throws -> [String] {
        let row = try #require(html.firstMatch(of: try Regex("<tr><th scope=\"row\"><span class=\"sev sev-\(severity)\">\(severity)</span></th>(.*?)</tr>")))
        return String(row.output[1].substring!).matches(of: try Regex("<td class=\"num[^\"]*\">([0-9]+)</td>")).map { String($0.output[1].substring!) }
    }

    @Test func expiredWaiverFailsAndTheWaivedPathIsAccepted() throws {
        let r = try Self.render(today: "2026-07-01")
        #expect(r.result.gate == Gate(failOn: .critical), "fail_on comes from agentpath.yaml")
        #expect(!r.result.passed)
        #expect(r.result.entry(Self.shellPath)?.verdict == .waived)
        #expect(r.result.entry(Self.wikiPath)?.verdict == .fail)

        // HTML: the banner fails, for the open path and the expired waiver, and counts the waived one.
        let html = r.html
        #expect(html.contains("<div class=\"gate gate-fail\" role=\"status\">"))
        #expect(html.contains("<span class=\"small\">1 open path at critical or above · 1 expired waiver · 1 waived</span>"))
        #expect(html.contains("waivers as of 2026-07-01"))
        #expect(!html.contains("no waivers yet"))
        // Summary: open, reduced, mitigated, waived, total; the waived path is not counted as open.
        #expect(try Self.statusRow(html, "critical") == ["1", "0", "0", "1", "2"])
        #expect(try Self.statusRow(html, "high") == ["0", "0", "0", "0", "0"])
        #expect(html.contains("<tfoot><tr><th scope=\"row\">All</th><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">1</td><td class=\"num\">2</td></tr></tfoot>"))
        #expect(html.contains("<span class=\"card-s\">not mitigated · 1 waived</span>"))
        // The waived path: marked, with who accepted it, until when, why and against what; it does not fail the gate.
        let shell = try Self.pathElement(html, rule: "AP002")
        #expect(shell.hasPrefix("st-open waived\""))
        #expect(shell.contains("data-waived=\"true\""))
        #expect(shell.contains("<span class=\"chip chip-waived\" title=\"accepted by a waiver\">waived</span>"))
        #expect(shell.contains("<p class=\"waiver\"><strong>Waived</strong> — \(Self.acceptance)</p>"))
        #expect(!shell.contains("fails the gate"))
        // The path whose waiver expired: marked expired, and it fails the gate.
        let wiki = try Self.pathElement(html, rule: "AP001")
        #expect(!wiki.contains("data-waived"))
        #expect(wiki.contains("waiver expired</span>"))
        #expect(wiki.contains("<p class=\"waiver waiver-expired\"><strong>Waiver expired</strong> — was accepted by docs-team until 2026-06-30:"))
        #expect(wiki.contains("title=\"fails the gate\""))
        #expect(html.contains("<h2>Expired waivers fail the gate</h2>"))
        #expect(html.contains("<li><code>\(Self.wikiPath)</code> was accepted by docs-team until 2026-06-30: The wiki export is scrubbed of restricted pages before indexing. (LLM02:2025). Renew it after review, or fix the finding.</li>"))
        #expect(html.contains("<option value=\"waived\">waived</option>"))
        #expect(!html.contains("<no network>"), "the justification is escaped")

        // Markdown: the same gate and counts, the waived path listed with its acceptance.
        let md = r.markdown
        #expect(md.contains("**Gate: fail** — 1 open path at critical or above; 1 expired waiver; 1 waived.\n"))
        #expect(md.contains("| critical | 1 | 0 | 0 | 1 |\n"))
        let worst = try #require(md.components(separatedBy: "## Worst open paths\n").last?.components(separatedBy: "\n## ").first)
        #expect(worst.contains("AP001") && !worst.contains("AP002"), "a waived path is not listed as open")
        #expect(md.contains("## Waived paths\n\n- **critical 9.0** AP002 "))
        #expect(md.contains(" — **waived**: accepted by platform-security until 2026-12-31: shell.run only runs in a throwaway container &lt;no network&gt; &amp; \\*no\\* secrets. (ASI02)\n"))
        #expect(md.contains("## Expired waivers\n\n- `\(Self.wikiPath)` expired on 2026-06-30, owner docs-team (LLM02:2025)"))
    }

    @Test func beforeExpiryBothPathsAreWaivedAndTheGatePasses() throws {
        let r = try Self.render(today: "2026-06-30")
        #expect(r.result.passed)
        #expect(r.html.contains("<div class=\"gate gate-pass\" role=\"status\">"))
        #expect(r.html.contains("<span class=\"small\">no open path at critical or above · 2 waived</span>"))
        #expect(try Self.statusRow(r.html, "critical") == ["0", "0", "0", "2", "2"])
        #expect(r.html.components(separatedBy: "<p class=\"waiver\">").count - 1 == 2)
        #expect(!r.html.contains("Expired waivers fail the gate"))
        #expect(r.markdown.contains("**Gate: pass** — no open path at critical or above; 2 waived.\n"))
        #expect(r.markdown.contains("| critical | 0 | 0 | 0 | 2 |\n"))
        #expect(!r.markdown.contains("## Worst open paths"))
    }

    @Test func commandLineOverridesTheConfig() throws {
        // --no-config: no waivers, the default threshold (high); the report looks as it did before waivers.
        let bare = try Self.render(today: "2026-07-01", .init(noConfig: true))
        #expect(bare.result.waivers.isEmpty && bare.result.gate == Gate())
        #expect(try Self.statusRow(bare.html, "critical") == ["2", "0", "0", "0", "2"])
        #expect(bare.html.contains("<span class=\"small\">2 open paths at high or above</span>"))
        #expect(!bare.html.contains("waivers as of") && !bare.html.contains("data-waived=\"true\""))
        // --fail-on none: the severity gate is off, but the expired waiver still fails it.
        let off = try Self.render(today: "2026-07-01", .init(failOn: Gate(failOn: nil)))
        #expect(!off.result.passed)
        #expect(off.html.contains("<span class=\"small\">1 expired waiver · 1 waived</span>"))
        #expect(off.markdown.contains("**Gate: fail** — 1 expired waiver; 1 waived.\n"))
    }

    @Test func waivedMarkupStaysWithinTheReportsElements() throws {
        let markup = ReportTests.markup(try Self.render(today: "2026-07-01").html)
        let bare = ReportTests.markup(try Self.render(today: "2026-07-01", .init(noConfig: true)).html)
        let (names, attributes) = ReportTests.tags(markup)
        let (bareNames, bareAttributes) = ReportTests.tags(bare)
        #expect(names == bareNames, "new elements: \(names.symmetricDifference(bareNames).sorted())")
        #expect(attributes.subtracting(bareAttributes) == ["data-waived"])
    }

    // MARK: the command line (report and build)

    static let binary = RepoPaths.path(".build/debug/agentpath")

    func agentpath(_ arguments: [String], in directory: String) throws -> ProcessResult {
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        return try runProcess(Self.binary, arguments, in: directory, environment: environment)
    }

    @Test func reportAndBuildReadTheProjectConfig() throws {
        let dir = try TemporaryDirectory()
        let md = try agentpath(["report", Self.model, "--format", "markdown", "--today", "2026-07-01"], in: dir.path)
        #expect(md.status == 0, "the report is written even when the gate fails: \(md.stderr)")
        #expect(md.stdout.contains("**Gate: fail** — 1 open path at critical or above; 1 expired waiver; 1 waived."))
        #expect(md.stdout.contains("| critical | 1 | 0 | 0 | 1 |"))
        #expect(md.stderr.contains("waivers.yaml:15:14: error: the waiver for \(Self.wikiPath) (owner docs-team, LLM02:2025) expired on 2026-06-30, 1 day ago"))

        let html = try agentpath(["report", Self.model, "-o", "r.html", "--today", "2026-07-01"], in: dir.path)
        #expect(html.status == 0, "\(html.stderr)")
        let page = try String(contentsOfFile: dir.file("r.html"), encoding: .utf8)
        #expect(page.contains("<p class=\"waiver\"><strong>Waived</strong> — \(Self.acceptance)</p>"))

        let flags = try agentpath(["report", Self.model, "--format", "markdown", "--today", "2026-05-01", "--fail-on", "high", "--waivers", Self.project + "/waivers.yaml"], in: dir.path)
        #expect(flags.status == 0, "\(flags.stderr)")
        #expect(flags.stdout.contains("**Gate: pass** — no open path at high or above; 2 waived."))
        let noConfig = try agentpath(["report", Self.model, "--format", "markdown", "--no-config"], in: dir.path)
        #expect(noConfig.stdout.contains("| critical | 2 | 0 | 0 | 0 |"))

        let build = try agentpath(["build", Self.model, "--out", "b", "--today", "2026-07-01"], in: dir.path)
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stdout.contains("  gate: FAIL — 1 open path critical or above; 1 expired waiver; 1 waived (fail_on critical from \(Self.project)/agentpath.yaml)\n"))
        #expect(build.stderr.contains("[E0602]"))
        let built = try String(contentsOfFile: dir.file("b/report.html"), encoding: .utf8)
        #expect(built.contains("<p class=\"waiver\"><strong>Waived</strong> — \(Self.acceptance)</p>"))
        #expect(try Self.statusRow(built, "critical") == ["1", "0", "0", "1", "2"])
        let passing = try agentpath(["build", Self.model, "--out", "b", "--today", "2026-06-30"], in: dir.path)
        #expect(passing.stdout.contains("  gate: pass — no open path critical or above; 2 waived (fail_on critical from"))
    }

    @Test func invalidConfigOrWaiversWriteNothing() throws {
        let gate = RepoPaths.path("Tests/AgentPathTests/Fixtures/gate")
        let cases: [([String], String)] = [
            (["--waivers", gate + "/invalid-waivers.yaml"], "invalid-waivers.yaml:5:5: error: unknown key 'justificaton' in waiver 1; did you mean 'justification'? [E0103]"),
            (["--config", gate + "/invalid-config.yaml"], "invalid-config.yaml:2:12: error: invalid value 'hihg' for 'fail_on' in gate"),
            (["--waivers", gate + "/no-such-waivers.yaml"], "no-such-waivers.yaml: error: cannot read the waivers file"),
        ]
        for (flags, message) in cases {
            for command in [["report", Self.model, "-o", "r.html"], ["report", Self.model, "--format", "markdown"], ["build", Self.model]] {
                let dir = try TemporaryDirectory()
                let r = try agentpath(command + flags, in: dir.path)
                #expect(r.status == 2, "\(command + flags)")
                #expect(r.stderr.contains(message), "\(command + flags): \(r.stderr)")
                #expect(r.stderr.contains("nothing written"))
                #expect(r.stdout.isEmpty, "\(command + flags): \(r.stdout)")
                #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "\(command + flags) wrote something")
            }
        }
        // Option errors are usage errors, exit 2, for every command that takes them.
        for command in ["report", "build"] {
            let dir = try TemporaryDirectory()
            #expect(try agentpath([command, Self.model, "--fail-on", "sometimes"], in: dir.path).status == 2)
            #expect(try agentpath([command, Self.model, "--today", "2026-02-30"], in: dir.path).status == 2)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        }
    }
}
