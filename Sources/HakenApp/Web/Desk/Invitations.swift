import Fluent
import Foundation
import HakenCore
import HakenStore

/// The secretariat invites institution staff, experts and colleagues: an account without a
/// password and a mailed link to set one. One path for the desk's page and `hakendesk invite`.
public enum Invitations {
    /// Creates the account and queues the mail; returns the link (the command line prints it
    /// for a secretariat without outgoing mail).
    public static func invite(email: EmailAddress, name: String, role: Role, partyID: UUID?, by actor: String,
                              configuration: AppConfiguration, on db: Database, key: AuditKey, now: Date) async throws -> String {
        try await db.hakenTransaction { tx in
            let account = try await Accounts.invite(email: email, name: name, role: role, partyID: partyID, by: actor, on: tx, key: key, now: now)
            let token = try await ActionLinks.issue(.invitation, subject: try account.requireID(), on: tx, key: key, now: now)
            let link = configuration.linkBase + "/invitation/\(token)"
            var partyName: String?
            if let partyID {
                partyName = role == .institution ? try await InstitutionModel.find(partyID, on: tx)?.name : try await ExpertModel.find(partyID, on: tx)?.name
            }
            let message = AccountMailText.invitation(name: name, role: role, party: role == .institution ? partyName : nil, link: link)
            try await Outbox.enqueue([WebMail.row(.accountLink, to: email.address, message, dedupe: "invite:\(token)",
                                                  configuration: configuration, now: now)], on: tx)
            return link
        }
    }
}
