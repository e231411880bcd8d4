import Foundation

/// The scheduled learning rate of each step (0-based `step`), from the config's `schedule` and `optimizer.lr`:
///
/// - warm-up: `lr · (step + 1) / warmup` for `step < warmup`, then
/// - `constant`: `lr`
/// - `cosine`: `min_lr + (lr − min_lr) · ½ (1 + cos(π · (step − warmup) / (iterations − warmup)))`
/// - `step`: `lr · gamma^k`, `k` = number of milestones ≤ step
///
/// A pure function of the step, so nothing but the trainer's `lrScale` needs checkpointing.
public struct LearningRateSchedule: Sendable, Equatable {
    public var base: Double
    public var schedule: TrainConfig.ScheduleConfig
    public var iterations: Int

    public init(config: TrainConfig) {
        base = config.optimizer.lr
        schedule = config.schedule
        iterations = config.iterations
    }

    public func rate(at step: Int) -> Double {
        let warmup = schedule.warmup
        if step < warmup { return base * Double(step + 1) / Double(warmup) }
        switch schedule.kind {
        case .cosine:
            let span = max(1, iterations - warmup)
            let progress = min(1, Double(step - warmup) / Double(span))
            return schedule.minLR + (base - schedule.minLR) * 0.5 * (1 + cos(Double.pi * progress))
        case .step:
            return base * pow(schedule.gamma, Double(schedule.milestones.filter { $0 <= step }.count))
        case .constant:
            return base
        }
    }
}
