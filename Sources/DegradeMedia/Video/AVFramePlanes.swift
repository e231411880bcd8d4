import CAVUtil
import CSwScale

/// Plane access, allocation and swscale calls on `AVFrame`s, shared by the video sources and the codec ops.
package enum AVFramePlanes {
    /// A new frame with its own buffers, or the FFmpeg message why not. The caller frees it (`av_frame_free`).
    package static func allocate(width: Int, height: Int, format: AVPixelFormat)
        -> Result<UnsafeMutablePointer<AVFrame>, AllocationFailure>
    {
        guard let frame = av_frame_alloc() else { return .failure(AllocationFailure(reason: "av_frame_alloc failed")) }
        frame.pointee.width = Int32(width)
        frame.pointee.height = Int32(height)
        frame.pointee.format = format.rawValue
        let status = av_frame_get_buffer(frame, 0)
        if status < 0 {
            var f: UnsafeMutablePointer<AVFrame>? = frame
            av_frame_free(&f)
            return .failure(AllocationFailure(
                reason: "av_frame_get_buffer \(width)×\(height) failed: \(FFmpegSupport.message(status))"))
        }
        return .success(frame)
    }

    package struct AllocationFailure: Error {
        package let reason: String
    }

    /// Plane `i`'s first byte and its row stride in bytes (`AVFrame.data`/`linesize` import as tuples).
    package static func plane(_ frame: UnsafePointer<AVFrame>, _ i: Int) -> (UnsafeMutablePointer<UInt8>, Int) {
        let data = withUnsafeBytes(of: frame.pointee.data) {
            $0.load(fromByteOffset: i * MemoryLayout<UnsafeMutablePointer<UInt8>?>.stride,
                    as: UnsafeMutablePointer<UInt8>?.self)
        }
        let stride = withUnsafeBytes(of: frame.pointee.linesize) {
            $0.load(fromByteOffset: i * MemoryLayout<Int32>.stride, as: Int32.self)
        }
        return (data!, Int(stride))
    }

    /// `sws_scale` over the first `sourceHeight` rows of `source` into `destination`; FFmpeg's status.
    package static func scale(_ context: OpaquePointer, from source: UnsafePointer<AVFrame>, sourceHeight: Int,
                              to destination: UnsafeMutablePointer<AVFrame>) -> Int32 {
        withUnsafePointer(to: source.pointee.data) { srcData in
            withUnsafePointer(to: source.pointee.linesize) { srcStride in
                withUnsafePointer(to: destination.pointee.data) { dstData in
                    withUnsafePointer(to: destination.pointee.linesize) { dstStride in
                        srcData.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { src in
                            dstData.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 8) { dst in
                                srcStride.withMemoryRebound(to: Int32.self, capacity: 8) { ss in
                                    dstStride.withMemoryRebound(to: Int32.self, capacity: 8) { ds in
                                        sws_scale(context, src, ss, 0, Int32(sourceHeight), dst, ds)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
