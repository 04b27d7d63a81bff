import Vapor

extension Request {
    /// Refuses a body that is not JSON. A page on another site can make a browser post a form anywhere without asking,
    /// but not JSON: so the calls that need no session (signing in, password resets) cannot be made from elsewhere.
    func requireJSON(_ doing: String) throws {
        guard headers.contentType == .json else {
            throw Problem(status: .unsupportedMediaType, slug: "unsupported-media-type", title: "Unsupported media type",
                          detail: "\(doing) with a JSON body (Content-Type: application/json).")
        }
    }
}
