/// Where tensor storage lives and which kernels run on it.
///
/// Only the CPU backend exists: storage is host memory from `BufferPool`, dense products go to OpenBLAS
/// (`cblas_sgemm`) and the remaining loops are Swift over raw pointers, split across `ComputeContext.threads`.
/// The kernels sit in `CPU…` files (and the small kernel enums beside each op) apart from the differentiable ops,
/// which call them directly today; a second backend would add its own storage and kernel files, a case here, and a
/// switch on `ComputeContext.current.backend` at those call sites.
public enum Backend: String, Sendable, Codable, CaseIterable {
    /// Host memory, OpenBLAS for GEMM, Dispatch for the other parallel loops.
    case cpu
}
