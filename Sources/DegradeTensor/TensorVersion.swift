// placeholder replaced by the tensor work
enum TensorPlaceholder {}
