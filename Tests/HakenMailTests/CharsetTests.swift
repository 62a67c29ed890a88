import Testing
@testable import HakenMail

@Suite struct CharsetTests {
    @Test func iso2022jpWithCP932Extensions() {
        // ESC $ B, row 13 (①=2D21, ㈱=2D6A), ～ (2141), then ESC ( B and ASCII.
        let bytes: [UInt8] = [0x1B, 0x24, 0x42, 0x2D, 0x21, 0x2D, 0x6A, 0x21, 0x41, 0x1B, 0x28, 0x42, 0x41]
        let decoded = Charsets.decode(bytes, charset: "ISO-2022-JP")
        #expect(decoded.text == "①㈱～A")
        #expect(decoded.problem == nil)
    }

    @Test func iso2022jpHalfWidthKatakanaAndIBMExtension() {
        // ESC ( I: ｱ (0x31); ESC $ B 0x7C 0x7B is 髙 via CP932's NEC-selected IBM rows? (row 92).
        let katakana: [UInt8] = [0x1B, 0x28, 0x49, 0x31, 0x32, 0x1B, 0x28, 0x42]
        #expect(Charsets.decode(katakana, charset: "iso-2022-jp").text == "ｱｲ")
        let shiftOut: [UInt8] = [0x0E, 0x31, 0x0F, 0x41]
        #expect(Charsets.decode(shiftOut, charset: "iso-2022-jp").text == "ｱA")
    }

    @Test func shiftJISIsReadAsCP932() {
        // ① = 87 40, ㈱ = 87 8A, ～ (FULLWIDTH TILDE) = 81 60, 髙 = FB FC.
        let decoded = Charsets.decode([0x87, 0x40, 0x87, 0x8A, 0x81, 0x60, 0xFB, 0xFC], charset: "Shift_JIS")
        #expect(decoded.text == "①㈱～髙")
        #expect(decoded.problem == nil)
    }

    @Test func eucJPThroughIconv() {
        // あ = A4 A2, 漢 = B4 C1.
        #expect(Charsets.decode([0xA4, 0xA2, 0xB4, 0xC1], charset: "EUC-JP").text == "あ漢")
        #expect(Charsets.decode([0xA4, 0xA2], charset: "x-euc-jp").text == "あ")
    }

    @Test func brokenAndUnknownCharsetsGiveTextAndAProblem() {
        let broken = Charsets.decode([0x41, 0xFF, 0xFE, 0x42], charset: "utf-8")
        #expect(broken.problem != nil)
        #expect(broken.text.hasPrefix("A") && broken.text.hasSuffix("B"))
        let unknown = Charsets.decode(Array("abc".utf8), charset: "x-no-such-charset")
        #expect(unknown.text == "abc")
        #expect(unknown.problem == "unknown-charset")
        #expect(Charsets.decode([0xE9], charset: "ISO-8859-1").text == "é")
        #expect(Charsets.decode([0x41], charset: "US-ASCII").text == "A")
    }

    @Test func encodedWordsJoinAdjacentWordsAsBytes() {
        // あ = E3 81 82 split over two words; white space between encoded words vanishes.
        let decoded = EncodedWords.decode("=?UTF-8?B?44E=?= =?utf-8?B?gg==?= and =?ISO-8859-1?Q?caf=E9_ok?=")
        #expect(decoded.text == "あ and café ok")
        #expect(decoded.problems.isEmpty)
        #expect(EncodedWords.decode("plain text").text == "plain text")
        #expect(EncodedWords.decode("=?utf-8?q?=ZZ?=").problems == ["undecodable-encoded-word"])
    }

    @Test func rfc2231ParametersAreAssembled() {
        let parsed = HeaderParameters.parse("attachment; filename*0*=utf-8''%E5%86%99; filename*1*=%E7%9C%9F.jpg; size=10")
        #expect(parsed.value == "attachment")
        #expect(parsed["filename"] == "写真.jpg")
        #expect(parsed["size"] == "10")
        let quoted = HeaderParameters.parse("image/JPEG; name=\"=?ISO-2022-JP?B?GyRCPEw/PxsoQg==?=.jpg\" (comment)")
        #expect(quoted.mimeType == "image/jpeg")
        #expect(quoted["name"] == "写真.jpg")
    }

    @Test func addressesAndDates() {
        #expect(AddressParser.addresses("\"Taro, Haken\" <Taro@Example.JP>, undisclosed:;") == ["Taro@example.jp"])
        #expect(AddressParser.addresses("a..b.@DOCOMO.ne.jp (docomo)") == ["a..b.@docomo.ne.jp"])
        #expect(AddressParser.addresses("<@route.example:user@Host.example>") == ["user@host.example"])
        #expect(MailDate.parse("Wed, 21 Aug 2019 10:30:00 +0900 (JST)")?.iso8601 == "2019-08-21T10:30:00+09:00")
        #expect(MailDate.parse("21 Aug 19 01:30 GMT")?.iso8601 == "2019-08-21T01:30:00+00:00")
        #expect(MailDate.parse("Wed, 21 Aug 2019 10:30:00 -0500")?.secondsSince1970 == 1_566_401_400)
        #expect(MailDate.parse("Fri, 30 Feb 2019 10:00:00 +0900") == nil)
        #expect(MailDate.parse("yesterday") == nil)
    }
}

/// What processing reads from headers besides the report: our MTA's Received time (DEC-1),
/// trusted authentication results, and pictures by their bytes.
@Suite struct HeaderSignalTests {
    static func headers(_ lines: [String]) -> HeaderBlock {
        MailReader.read(Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)).headers
    }

    @Test("DEC-1: the first Received field written by our trusted MTA gives the time; others are ignored")
    func receivedByTheTrustedMTA() {
        let block = Self.headers([
            "Received: from relay by mx.other.example; Wed, 21 Aug 2019 09:00:00 +0900",
            "Received: from phone.example (phone [192.0.2.1])\r\n\tby MX.Haken.Example (Postfix) with ESMTPS id 1; Wed, 21 Aug 2019 10:33:00 +0900",
            "Received: from forged by mx.haken.example; Wed, 21 Aug 2019 16:00:00 +0900",
        ])
        #expect(ReceivedTime.byTrustedMTA(block, host: "mx.haken.example") == 1_566_351_180)
        #expect(ReceivedTime.byTrustedMTA(block, host: "nobody.example") == nil)
        #expect(ReceivedTime.byTrustedMTA(Self.headers(["Received: by mx.haken.example; Wed, 21 Aug 999999999999999999 10:33:00 +0900"]),
                                          host: "mx.haken.example") == nil)   // a year that would overflow is no date
        #expect(MailDate.parse("Wed, 21 Aug 99999999999999 10:30:00 +0900") == nil)
    }

    @Test("#12: Authentication-Results count only from the trusted authserv-id")
    func trustedAuthenticationResults() {
        let block = Self.headers(["Authentication-Results: mx.elsewhere.example; dmarc=pass",
                                  "Authentication-Results: MX.haken.example; spf=softfail (not permitted) smtp.mailfrom=x@evil.example;\r\n"
                                  + " dkim=pass header.d=evil.example; dmarc=fail (p=reject) header.from=basona.example.jp"])
        let results = AuthenticationResults.results(block, trustedAuthservID: "mx.haken.example")
        #expect(results.map(\.method) == ["spf", "dkim", "dmarc"])
        #expect(results[1].properties["header.d"] == "evil.example")
        let suffixes = PublicSuffixList.load()
        let verdict = AuthenticationResults.verdict(block, trustedAuthservID: "mx.haken.example", fromDomain: "basona.example.jp", suffixes: suffixes)
        #expect(verdict?.verdict == .fail)
        // The other host's dmarc=pass is not believed, and a host we do not trust says nothing.
        #expect(AuthenticationResults.verdict(block, trustedAuthservID: "mx.other.example", fromDomain: "basona.example.jp", suffixes: suffixes) == nil)
        let aligned = Self.headers(["Authentication-Results: mx.haken.example; dkim=pass header.d=mail.basona.example.jp; spf=none"])
        #expect(AuthenticationResults.verdict(aligned, trustedAuthservID: "mx.haken.example", fromDomain: "basona.example.jp", suffixes: suffixes)?.verdict == .pass)
        let other = Self.headers(["Authentication-Results: mx.haken.example; dkim=pass header.d=evil.example; spf=pass smtp.mailfrom=evil.example"])
        #expect(AuthenticationResults.verdict(other, trustedAuthservID: "mx.haken.example", fromDomain: "basona.example.jp", suffixes: suffixes)?.verdict == .fail)
        let later = Self.headers(["Authentication-Results: mx.haken.example; dkim=temperror header.d=basona.example.jp"])
        #expect(AuthenticationResults.verdict(later, trustedAuthservID: "mx.haken.example", fromDomain: "basona.example.jp", suffixes: suffixes)?.verdict == .unverified)
    }

    @Test("Pictures are known by their first bytes, never by their declared type")
    func picturesBySniffing() {
        #expect(ImageFormat.sniff([0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46, 0x49, 0x46, 0, 1]) == .jpeg)
        #expect(ImageFormat.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]) == .png)
        #expect(ImageFormat.sniff(Array("\0\0\0\u{18}ftypheic".utf8)) == .heic)
        #expect(ImageFormat.sniff(Array("RIFF\0\0\0\0WEBP".utf8)) == .webp)
        #expect(ImageFormat.sniff(Array("not a picture".utf8)) == nil)
        #expect(ImageFormat.sniff([]) == nil)
    }
}
