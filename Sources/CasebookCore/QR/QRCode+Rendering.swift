import Foundation

extension QRCode {
    /// An SVG drawing with a four-module quiet zone, each dark module a unit square.
    public func svg(moduleSize: Int = 4) -> String {
        let side = (size + 8) * moduleSize
        var path = ""
        for y in 0..<size {
            for x in 0..<size where isDark(x: x, y: y) { path += "M\(x + 4),\(y + 4)h1v1h-1z" }
        }
        return """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(side)" height="\(side)" viewBox="0 0 \(size + 8) \(size + 8)" \
        shape-rendering="crispEdges" role="img"><rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="\(path)"/></svg>
        """
    }

    /// A greyscale PNG with a four-module quiet zone, `scale` pixels a module.
    public func png(scale: Int = 8) -> [UInt8] {
        let side = (size + 8) * scale
        var pixels = [UInt8]()
        pixels.reserveCapacity(side * (side + 1))
        for row in 0..<side {
            pixels.append(0)  // filter: none
            let y = row / scale - 4
            for column in 0..<side {
                let x = column / scale - 4
                let dark = x >= 0 && y >= 0 && x < size && y < size && isDark(x: x, y: y)
                pixels.append(dark ? 0 : 255)
            }
        }
        return PNGWriter.greyscale(width: side, height: side, scanlines: pixels)
    }
}
