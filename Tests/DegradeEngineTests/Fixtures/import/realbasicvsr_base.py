# Shared settings of the RealBasicVSR fixture (a _base_ file in the config's own folder). As with mmengine,
# the config that names this base gets its variables merged in, but cannot refer to them by name.
scale = 4
model = dict(type='RealBasicVSR', generator=dict(type='RealBasicVSRNet', mid_channels=64, num_propagation_blocks=20))
