import Fluent
import Foundation
import HakenCore
import HakenStore
import Logging
import ServiceLifecycle
import Vapor

/// The deadline scheduler (#11, NOTE-1, NOTE-2, NOTE-4): proposes as outside the programme the
/// dispatches whose final deadline passed with duties undone, sends the reminders due (only
/// while the secretariat is open), escalates what is overdue, and clears escalations whose
/// duty was done. Every node runs it; one at a time holds the lease, and each reminder and
/// escalation is written once by key, so a run after downtime catches up without sending twice.
public enum DeadlineJob {
    public struct Report: Sendable, Equatable {
        public var ran: Bool
        public var proposed = 0
        public var reminded = 0
        public var escalated = 0
    }

    static let lease = "deadlines"
    static let page = 500

    public static func run(_ services: HakenServices, on db: Database, now: Date, holder: String) async throws -> Report {
        // The lease keeps two runs from overlapping; it is given back at the end (the next run may
        // be any node's), and lapses on its own if this one dies midway.
        guard try await SchedulerLease.acquire(lease, holder: holder, now: now, duration: 300, on: db) else { return Report(ran: false) }
        let report = try await runHoldingLease(services, on: db, now: now)
        try await SchedulerLease.release(lease, holder: holder, on: db)
        return report
    }

    static func runHoldingLease(_ services: HakenServices, on db: Database, now: Date) async throws -> Report {
        var report = Report(ran: true)
        let configuration = services.configuration
        let moment = TokyoClock.local(secondsSince1970: now.timeIntervalSince1970)
        let today = moment.date
        let key = services.auditKey

        while true {
            let checked = try await OutsideProgramme.proposeDue(today: today, now: now, limit: page, on: db, key: key)
            report.proposed += checked.count
            // proposeDue marks every dispatch it looked at; an empty answer means none is left.
            if try await db.sql().raw("""
                SELECT 1 AS left FROM dispatches WHERE deadline_checked_at IS NULL AND deadline < \(bind: today.iso) LIMIT 1
                """).first() == nil { break }
        }

        let escalated = try await Reminders.escalated(on: db)
        var after: UUID?
        while true {
            let active = try await Reminders.active(today: today, after: after, limit: page, on: db)
            guard let last = active.last else { break }
            after = last.dispatch.id
            for item in active {
                let open = DeadlineRules.open(item.facts, today: today, settings: configuration.deadlines)
                if let kinds = escalated[item.dispatch.id] {
                    let stillOpen = Set(open.map(\.kind))
                    try await Reminders.resolve(dispatchID: item.dispatch.id, kinds: kinds.filter { !stillOpen.contains($0) }, now: now, on: db)
                }
                for due in DeadlineRules.due(item.facts, now: moment, settings: configuration.deadlines) {
                    let mails = due.stage == .before ? try reminderMails(due, item: item, configuration: configuration, now: now) : []
                    if try await Reminders.write(due, dispatchID: item.dispatch.id, mails: mails, now: now, on: db, key: key) {
                        if due.stage == .before { report.reminded += 1 } else { report.escalated += 1 }
                    }
                }
            }
        }
        return report
    }

    /// To the person in charge, and a copy to the institution.
    static func reminderMails(_ due: DeadlineRules.Due, item: Reminders.Active, configuration: AppConfiguration, now: Date) throws -> [Outbox.Row] {
        let schedule = try item.dispatch.schedule()
        let key = "reminder:\(item.dispatch.id.uuidString.lowercased()):\(due.kind.rawValue):\(due.deadline.iso)"
        return [(item.businessEmail, false), (item.institutionEmail, true)].map { address, copy in
            WebMail.row(.reminder, to: address,
                        ReminderText.reminder(business: item.dispatch.businessName ?? "", expert: item.dispatch.expertName ?? "", schedule: schedule,
                                              kind: due.kind, deadline: due.deadline, copyToInstitution: copy),
                        dedupe: key + (copy ? ":institution" : ":business"), configuration: configuration, now: now)
        }
    }
}

/// Runs `DeadlineJob` every `HAKEN_SCHEDULER_INTERVAL_SECONDS` for as long as the server runs.
struct DeadlineService: Service {
    let app: Application
    let holder = "node-\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"

    func run() async throws {
        let logger = Logger(label: "hakendesk.deadlines")
        let interval = max(1, app.haken.configuration.schedulerInterval)   // 0 is not started at all (HakenServer)
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let report = try await DeadlineJob.run(app.haken, on: app.db, now: app.hakenClock.now(), holder: holder)
                    if report.proposed + report.reminded + report.escalated > 0 {
                        logger.info("deadlines", metadata: ["proposed": "\(report.proposed)", "reminded": "\(report.reminded)",
                                                            "escalated": "\(report.escalated)"])
                    }
                } catch {
                    logger.warning("deadline run failed: \(error)")
                }
                try await Task.sleep(for: .seconds(interval))
            }
        }
    }
}
