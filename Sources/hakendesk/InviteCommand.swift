import ArgumentParser
import Foundation
import HakenApp
import HakenCore
import HakenStore

/// `hakendesk invite`: the secretariat invites institution staff, an expert or a colleague
/// from the command line (the same as the desk's invitation page).
struct Invite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Invite institution staff, an expert or a secretariat colleague: an account and a mailed link to set its password.",
        discussion: "The link is also printed, for a secretariat whose outgoing mail is not set up yet."
    )

    @Option(help: "The invitee's mail address (their login).")
    var email: String

    @Option(help: "The invitee's name.")
    var name: String

    @Option(help: "institution, expert or secretariat")
    var role: String

    @Option(help: "The institution's or expert's id (not for secretariat).")
    var party: String?

    func validate() throws {
        guard EmailAddress(email) != nil else { throw ValidationError("not a mail address: \(email)") }
        guard let role = Role(rawValue: role), role != .business else {
            throw ValidationError("role must be institution, expert or secretariat (businesses sign up themselves)")
        }
        if role == .secretariat && party != nil { throw ValidationError(Accounts.InvitationProblem.partyNotAllowed.description) }
        if role != .secretariat && party.flatMap(UUID.init(uuidString:)) == nil {
            throw ValidationError("--party <uuid> is required for role \(role.rawValue)")
        }
    }

    func run() async throws {
        guard let role = Role(rawValue: role), let address = EmailAddress(email) else { throw ValidationError("invalid arguments") }
        do {
            let link = try await AppRunner.withApp { app, configuration in
                try await Invitations.invite(email: address, name: name, role: role, partyID: party.flatMap(UUID.init(uuidString:)), by: "cli",
                                             configuration: configuration, on: app.db, key: app.haken.auditKey, now: app.hakenClock.now())
            }
            say("招待メールを送信待ちにしました: \(address.address)")
            say(link)
        } catch let problem as Accounts.InvitationProblem {
            throw ValidationError(problem.description)
        }
    }
}
