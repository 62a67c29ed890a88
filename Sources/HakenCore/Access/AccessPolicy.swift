import Foundation

/// The one permission policy. Web pages and the JSON API ask it the same question with the
/// same caller (a session and an API token resolve to the same role and party), so a page
/// cannot show what the API refuses, nor the other way round.
///
/// A business sees its own dispatches, institution staff their institution's consultations
/// and dispatches, an expert the dispatches assigned to them, the secretariat everything.
/// Actions that change something are narrower than reading (CON-3, CON-4, AFT-2).
public enum AccessPolicy {
    /// Who asks: a role and, for everyone but the secretariat, the party they act for.
    public struct Caller: Sendable, Equatable {
        public var role: Role
        public var partyID: UUID?
        public init(role: Role, partyID: UUID?) { self.role = role; self.partyID = partyID }

        func isParty(_ role: Role, _ id: UUID) -> Bool { self.role == role && partyID == id }
    }

    /// The three parties of a dispatch.
    public struct DispatchParties: Sendable, Equatable {
        public var business: UUID
        public var institution: UUID
        public var expert: UUID
        public init(business: UUID, institution: UUID, expert: UUID) {
            self.business = business; self.institution = institution; self.expert = expert
        }
    }

    public enum Resource: Sendable, Equatable {
        case dispatch(DispatchParties)
        case consultation(institution: UUID, business: UUID)
        case institution(UUID)
        case expert(UUID)
        /// A business, with the institutions it has consulted (they deal with it, CON-1).
        case business(UUID, consultedAt: Set<UUID>)
        /// The secretariat's own work: all mail, invitations, tokens.
        case secretariatDesk
    }

    public enum Action: Sendable, Equatable {
        case read
        /// Edit a party's own profile (REG-1 stage 2, the expert's profile).
        case editProfile
        /// DAY-1/2/6: the business's "today" page with its report links.
        case reportOnTheDay
        /// AFT-2: only the assigned expert files the report.
        case fileExpertReport
        /// CON-1: record a consultation (at the caller's institution), or find the business for one.
        case recordConsultation
        /// CON-3/4/5: file, reschedule or cancel a dispatch (the institution of the consultation).
        case fileDispatch
        /// Invitations, all mail, queues.
        case manage
        /// AFT-2: the business's certification and its evaluation of the expert (its printed
        /// copy): the business, its institution and the secretariat, not the expert it rates.
        case readEvaluation
    }

    public static func allows(_ caller: Caller, _ action: Action, _ resource: Resource) -> Bool {
        let secretariat = caller.role == .secretariat
        switch (action, resource) {
        case (.read, .dispatch(let parties)):
            return secretariat || caller.isParty(.business, parties.business) || caller.isParty(.institution, parties.institution)
                || caller.isParty(.expert, parties.expert)
        case (.readEvaluation, .dispatch(let parties)):
            return secretariat || caller.isParty(.business, parties.business) || caller.isParty(.institution, parties.institution)
        case (.reportOnTheDay, .dispatch(let parties)):
            return secretariat || caller.isParty(.business, parties.business)
        case (.fileExpertReport, .dispatch(let parties)):
            return caller.isParty(.expert, parties.expert)
        case (.fileDispatch, .dispatch(let parties)):
            return secretariat || caller.isParty(.institution, parties.institution)
        case (.read, .consultation(let institution, let business)):
            return secretariat || caller.isParty(.institution, institution) || caller.isParty(.business, business)
        case (.fileDispatch, .consultation(let institution, _)), (.recordConsultation, .consultation(let institution, _)):
            return secretariat || caller.isParty(.institution, institution)
        case (.read, .institution(let id)):
            return secretariat || caller.isParty(.institution, id)
        case (.read, .expert(let id)):
            // CON-4: institutions choose experts, so they may read them.
            return secretariat || caller.role == .institution || caller.isParty(.expert, id)
        case (.editProfile, .expert(let id)):
            return secretariat || caller.isParty(.expert, id)
        case (.read, .business(let id, let consultedAt)):
            return secretariat || caller.isParty(.business, id)
                || (caller.role == .institution && caller.partyID.map(consultedAt.contains) == true)
        case (.editProfile, .business(let id, _)):
            return secretariat || caller.isParty(.business, id)
        case (.recordConsultation, .business):
            // Any institution may look a business up to record that it consulted (CON-1):
            // it may be the first time.
            return secretariat || caller.role == .institution
        case (.manage, .secretariatDesk), (.read, .secretariatDesk):
            return secretariat
        default:
            return false
        }
    }
}
