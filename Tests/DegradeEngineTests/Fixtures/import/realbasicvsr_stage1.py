# An mmedit 0.x style RealBasicVSR stage-1 config, written for degrade's import tests: the train_pipeline
# follows the published realbasicvsr_wogan config's degradations; everything else is trimmed.
_base_ = './realbasicvsr_base.py'
import numpy as np

exp_name = 'fixture_realbasicvsr_wogan'
third = 1 / 3.
codecs = ['libx264', 'h264', 'mpeg4']
second_sigma = [0.2, 1.5]
first_blur = dict(
    kernel_size=[7, 9, 11, 13, 15, 17, 19, 21],
    kernel_list=['iso', 'aniso', 'generalized_iso', 'generalized_aniso',
                 'plateau_iso', 'plateau_aniso', 'sinc'],
    kernel_prob=[0.405, 0.225, 0.108, 0.027, 0.108, 0.027, 0.1],
    sigma_x=[0.2, 3],
    sigma_y=[0.2, 3],
    rotate_angle=[-3.1416, 3.1416],
    beta_gaussian=[0.5, 4],
    beta_plateau=[1, 2],
    sigma_x_step=0.02,
    sigma_y_step=0.02,
    rotate_angle_step=0.31416,
    beta_gaussian_step=0.05,
    beta_plateau_step=0.1,
    omega_step=0.0628)

model = dict(generator=dict(mid_channels=32))

train_pipeline = [
    dict(type='GenerateSegmentIndices', interval_list=[1]),
    dict(type='LoadImageFromFileList', io_backend='disk', key='gt', channel_order='rgb'),
    dict(type='FixedCrop', keys=['gt'], crop_size=(256, 256)),
    dict(type='RescaleToZeroOne', keys=['gt']),
    dict(type='Flip', keys=['gt'], flip_ratio=0.5, direction='horizontal'),
    dict(type='Flip', keys=['gt'], flip_ratio=0.5, direction='vertical'),
    dict(type='RandomTransposeHW', keys=['gt'], transpose_ratio=0.5),
    dict(type='MirrorSequence', keys=['gt']),
    dict(type='UnsharpMasking', keys=['gt'], kernel_size=51, sigma=0, weight=0.5, threshold=10),
    dict(type='CopyValues', src_keys=['gt_unsharp'], dst_keys=['lq']),
    dict(type='RandomBlur', params=first_blur, keys=['lq']),
    dict(
        type='RandomResize',
        params=dict(
            resize_mode_prob=[0.2, 0.7, 0.1],  # up, down, keep
            resize_scale=[0.15, 1.5],
            resize_opt=['bilinear', 'area', 'bicubic'],
            resize_prob=[third, third, third],
            resize_step=0.015,
            is_size_even=True),
        keys=['lq']),
    dict(
        type='RandomNoise',
        params=dict(
            noise_type=['gaussian', 'poisson'],
            noise_prob=[0.5, 0.5],
            gaussian_sigma=[1, 30],
            gaussian_gray_noise_prob=0.4,
            poisson_scale=[0.05, 3],
            poisson_gray_noise_prob=0.4,
            gaussian_sigma_step=0.1,
            poisson_scale_step=0.005),
        keys=['lq']),
    dict(type='RandomJPEGCompression', params=dict(quality=[30, 95], quality_step=3), keys=['lq']),
    dict(
        type='RandomVideoCompression',
        params=dict(codec=codecs, codec_prob=[third, third, third], bitrate=[1e4, 1e5]),
        keys=['lq']),
    dict(
        type='RandomBlur',
        params=dict(
            prob=0.8,
            kernel_size=[7, 9, 11, 13, 15, 17, 19, 21],
            kernel_list=['iso', 'aniso', 'generalized_iso', 'generalized_aniso',
                         'plateau_iso', 'plateau_aniso', 'sinc'],
            kernel_prob=[0.405, 0.225, 0.108, 0.027, 0.108, 0.027, 0.1],
            sigma_x=second_sigma,
            sigma_y=second_sigma,
            rotate_angle=[-np.pi, np.pi],
            beta_gaussian=[0.5, 4],
            beta_plateau=[1, 2],
            sigma_x_step=0.02,
            sigma_y_step=0.02,
            rotate_angle_step=0.31416,
            beta_gaussian_step=0.05,
            beta_plateau_step=0.1,
            omega_step=0.0628),
        keys=['lq']),
    dict(
        type='RandomResize',
        params=dict(
            resize_mode_prob=[0.3, 0.4, 0.3],
            resize_scale=[0.3, 1.2],
            resize_opt=['bilinear', 'area', 'bicubic'],
            resize_prob=[third, third, third],
            resize_step=0.03,
            is_size_even=True),
        keys=['lq']),
    dict(
        type='RandomNoise',
        params=dict(
            noise_type=['gaussian', 'poisson'],
            noise_prob=[0.5, 0.5],
            gaussian_sigma=[1, 25],
            gaussian_gray_noise_prob=0.4,
            poisson_scale=[0.05, 2.5],
            poisson_gray_noise_prob=0.4,
            gaussian_sigma_step=0.1,
            poisson_scale_step=0.005),
        keys=['lq']),
    dict(type='RandomJPEGCompression', params=dict(quality=[30, 95], quality_step=3), keys=['lq']),
    dict(
        type='DegradationsWithShuffle',
        degradations=[
            dict(
                type='RandomVideoCompression',
                params=dict(codec=codecs, codec_prob=[third, third, third], bitrate=[1e4, 1e5]),
                keys=['lq']),
            [
                dict(
                    type='RandomResize',
                    params=dict(
                        target_size=(64, 64),
                        resize_opt=['bilinear', 'area', 'bicubic'],
                        resize_prob=[third, third, third])),
                dict(
                    type='RandomBlur',
                    params=dict(
                        prob=0.8,
                        kernel_size=[7, 9, 11, 13, 15, 17, 19, 21],
                        kernel_list=['sinc'],
                        kernel_prob=[1],
                        omega=[np.pi / 3, 3.1416],
                        omega_step=0.0628)),
            ]
        ],
        keys=['lq']),
    dict(type='Quantize', keys=['lq']),
    dict(type='FramesToTensor', keys=['lq', 'gt', 'gt_unsharp']),
    dict(type='Collect', keys=['lq', 'gt', 'gt_unsharp'], meta_keys=['gt_path'])
]

data_root = 'data/REDS'
data = dict(
    workers_per_gpu=2,
    train=dict(
        type='RepeatDataset',
        times=150,
        dataset=dict(
            type='SRFolderMultipleGTDataset',
            lq_folder='data/REDS/train_sharp_sub',
            gt_folder=f'{data_root}/train_sharp_sub',
            num_input_frames=15,
            pipeline=train_pipeline,
            scale=4,
            test_mode=False)))

work_dir = f'./experiments/{exp_name}'
total_iters = 300_000
