/// Where tensor storage lives and which kernels run on it.
///
/// Only the CPU backend exists: storage is host memory from `BufferPool`, dense products go to OpenBLAS
/// (`cblas_sgemm`) and the remaining loops are Swift over raw pointers, split across `ComputeContext.threads`.
/// The kernels sit in `CPU…` files apart from the differentiable ops, so a second backend adds its own storage and
/// kernel files and a case here, and the ops switch on `ComputeContext.current.backend` where they call kernels.
public enum Backend: String, Sendable, Codable, CaseIterable {
    /// Host memory, OpenBLAS for GEMM, Dispatch for the other parallel loops.
    case cpu
}
