import DegradeEngine
import DegradeMedia
import DegradeRender
import DegradeTrain

/// The documented exit statuses: 0 success, 1 runtime failure, 2 bad usage or bad input.
enum ExitStatus {
    static let runtimeFailure: Int32 = 1
    static let badInput: Int32 = 2

    static func `for`(_ error: Error, argumentParserCode: Int32) -> Int32 {
        switch error {
        case is MediaError, is InputError, is RecipeError, is TrainError, is SafeTensorsError, is OutputBusyError, is OutputOverlapError,
             is CatalogError, is CheckpointDamage, is SuperResolverLoadError: return badInput
        case is WriteError, is TrainingDiverged: return runtimeFailure
        case let e as RenderError: return self.for(e.underlying, argumentParserCode: 1)
        case let e as StreamError: return self.for(e.underlying, argumentParserCode: 1)
        default:
            // ArgumentParser reports usage and validation errors as EX_USAGE (64).
            return argumentParserCode == 64 ? badInput : runtimeFailure
        }
    }
}
