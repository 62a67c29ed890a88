import Foundation
import HakenApp
import HakenCore
import HakenImage
import HakenTestSupport
import Testing
import Vapor

/// #11: an iPhone's HEIC photo is shown on the desk as JPEG (libheif → libjpeg-turbo).
@Suite struct HEICDisplayTests {
    /// 64×48 pixels, two rectangles, written by heif-enc (libheif 1.15).
    static let heic = [UInt8](Data(base64Encoded: "AAAAHGZ0eXBoZWljAAAAAG1pZjFoZWljbWlhZgAAAa1tZXRhAAAAAAAAACFoZGxyAAAAAAAAAABwaWN0AAAAAAAAAAAAAAAAAAAAAA5waXRtAAAAAAACAAAAEGlkYXQAAAAAAEAAMAAAADhpbG9jAQAAAERAAAIAAQAAAAAAAAHRAAEAAAAAAAAA1QACAAEAAAAAAAAAAQAAAAAAAAAIAAAAOGlpbmYAAAAAAAIAAAAVaW5mZQIAAAEAAQAAaHZjMQAAAAAVaW5mZQIAAAAAAgAAZ3JpZAAAAADYaXBycAAAALZpcGNvAAAAdmh2Y0MBA3AAAAAAAAAAAAAe8AD8/fj4AAAPAyAAAQAYQAEMAf//A3AAAAMAkAAAAwAAAwAeugJAIQABACpCAQEDcAAAAwCQAAADAAADAB6gIIEFlurkprm4EBAwIAAAAwAgAAADACEiAAEABkQBwXPAiQAAABRpc3BlAAAAAAAAAEAAAABAAAAAFGlzcGUAAAAAAAAAQAAAADAAAAAQcGl4aQAAAAADCAgIAAAAGmlwbWEAAAAAAAAAAgABAoECAAICA4QAAAAaaXJlZgAAAAAAAAAOZGltZwACAAEAAQAAAN1tZGF0AAAA0SgBrxOAg2JEFyyg5YnXXRruA/2BxxkLcnS3jhIc/VlX9bbV3ngyvSvYWHeG626OldOI4k1T7+tkPvNUKGD7RiJ0CL7CsPBVMqc38STnf8qbD3y4tC0e8ohoFDImFvtiAi66zcRSCXq/mVB7JSnpT6fChQtviL7VMMHe284AOxbmKPbzbtUxUQ++k2aWhb/HKGRyvRSsXTFDPbUb8rcP7CXcRIYtZ0H/Buvt3YQlMcwHsqRBSdZ+ZVjnxju2aAYQTgD/3sIwHkW1Z5lAYM36iHfA")!)

    @Test("HEIC becomes a JPEG of the same size; what is not HEIC is refused, never a crash")
    func converts() throws {
        let jpeg = try HEICToJPEG.convert(Self.heic)
        #expect(jpeg.starts(with: [0xFF, 0xD8, 0xFF]))
        #expect(jpeg.count > 100)
        #expect(throws: HEICToJPEG.Failure.self) { try HEICToJPEG.convert([0x00, 0x01, 0x02]) }
        #expect(throws: HEICToJPEG.Failure.self) { try HEICToJPEG.convert(Array(Self.heic.prefix(200))) }
    }

    @Test("The desk shows a mailed HEIC photo as JPEG", arguments: [TestDatabase.sqlite])
    func mailedHEICIsShown(database: TestDatabase) async throws {
        try await MailIntakeTests().withWorld(database) { world in
            let raw = [
                "From: info@basona.example.jp", "To: senmonka-haken@localhost", "Subject: =?UTF-8?B?\(Data("ばそな建設/専門家次郎/8月21日(水)10:30~15:00".utf8).base64EncodedString())?=",
                "Message-ID: <heic@test>", "MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=\"b\"", "",
                "--b", "Content-Type: image/heic", "Content-Disposition: attachment; filename=\"IMG_0001.HEIC\"", "Content-Transfer-Encoding: base64", "",
                Data(Self.heic).base64EncodedString(), "--b--", "",
            ].joined(separator: "\r\n")
            _ = try await world.send(raw, at: MailIntakeTests.on21("15:10"))
            let id = try await world.lastMail().requireID().uuidString.lowercased()
            let attachment = try await world.app.testing().sendRequest(.GET, "api/v1/mail/\(id)/attachments/0") {
                $0.headers.bearerAuthorization = BearerAuthorization(token: adminToken)
            }
            #expect(attachment.headers.contentType == .jpeg)
            #expect(Array(attachment.body.readableBytesView).starts(with: [0xFF, 0xD8, 0xFF]))
            let photo = try await world.app.testing().sendRequest(.GET, "api/v1/dispatches/\(world.dispatch)") {
                $0.headers.bearerAuthorization = BearerAuthorization(token: adminToken)
            }
            #expect(photo.status == .ok)
            let desk = try await WebFixtures.signedIn(world.app, "heic@secretariat.example.jp", role: .secretariat, party: nil)
            let file = try await desk.send(.GET, "/desk/photos/\(world.dispatch)/file", body: nil, contentType: nil, accept: "image/*")
            #expect(file.headers.contentType == .jpeg)
        }
    }
}
