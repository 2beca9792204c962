"""Every model row's class, for type checkers only: written by .ci/refresh-docs from the
files beside it (tests/test_public_api.py says when it is stale); never imported at run time."""

from kling_nb.specs.rows.aimlapi_kling_1_0_pro import (
    Kling10ProAIML as Kling10ProAIML,
)
from kling_nb.specs.rows.aimlapi_kling_1_0_standard import (
    Kling10StandardAIML as Kling10StandardAIML,
)
from kling_nb.specs.rows.aimlapi_kling_1_6_multi_image import (
    Kling16MultiImageAIML as Kling16MultiImageAIML,
)
from kling_nb.specs.rows.aimlapi_kling_1_6_pro import (
    Kling16ProAIML as Kling16ProAIML,
)
from kling_nb.specs.rows.aimlapi_kling_1_6_pro_effects import (
    Kling16ProEffectsAIML as Kling16ProEffectsAIML,
)
from kling_nb.specs.rows.aimlapi_kling_1_6_standard import (
    Kling16StandardAIML as Kling16StandardAIML,
)
from kling_nb.specs.rows.aimlapi_kling_1_6_standard_effects import (
    Kling16StandardEffectsAIML as Kling16StandardEffectsAIML,
)
from kling_nb.specs.rows.aimlapi_kling_2_0_master import (
    Kling20MasterAIML as Kling20MasterAIML,
)
from kling_nb.specs.rows.aimlapi_kling_2_1_master import (
    Kling21MasterAIML as Kling21MasterAIML,
)
from kling_nb.specs.rows.aimlapi_kling_2_1_pro import (
    Kling21ProAIML as Kling21ProAIML,
)
from kling_nb.specs.rows.aimlapi_kling_2_1_standard import (
    Kling21StandardAIML as Kling21StandardAIML,
)
from kling_nb.specs.rows.aimlapi_kling_2_5_turbo_pro import (
    Kling25TurboProAIML as Kling25TurboProAIML,
)
from kling_nb.specs.rows.aimlapi_kling_2_6_motion_control import (
    Kling26MotionControlAIML as Kling26MotionControlAIML,
)
from kling_nb.specs.rows.aimlapi_kling_2_6_pro import (
    Kling26ProAIML as Kling26ProAIML,
)
from kling_nb.specs.rows.aimlapi_kling_3_0_motion_control import (
    Kling30MotionControlAIML as Kling30MotionControlAIML,
)
from kling_nb.specs.rows.aimlapi_kling_3_0_omni_720p import (
    Kling30Omni720pAIML as Kling30Omni720pAIML,
)
from kling_nb.specs.rows.aimlapi_kling_3_0_omni_1080p import (
    Kling30Omni1080pAIML as Kling30Omni1080pAIML,
)
from kling_nb.specs.rows.aimlapi_kling_3_0_pro import (
    Kling30ProAIML as Kling30ProAIML,
)
from kling_nb.specs.rows.aimlapi_kling_3_0_standard import (
    Kling30StandardAIML as Kling30StandardAIML,
)
from kling_nb.specs.rows.aimlapi_kling_3_0_turbo_pro import (
    Kling30TurboProAIML as Kling30TurboProAIML,
)
from kling_nb.specs.rows.aimlapi_kling_3_0_turbo_standard import (
    Kling30TurboStandardAIML as Kling30TurboStandardAIML,
)
from kling_nb.specs.rows.aimlapi_kling_4_0_reference import (
    Kling40ReferenceAIML as Kling40ReferenceAIML,
)
from kling_nb.specs.rows.aimlapi_kling_avatar_pro import (
    KlingAvatarProAIML as KlingAvatarProAIML,
)
from kling_nb.specs.rows.aimlapi_kling_avatar_standard import (
    KlingAvatarStandardAIML as KlingAvatarStandardAIML,
)
from kling_nb.specs.rows.aimlapi_kling_o1 import (
    KlingO1AIML as KlingO1AIML,
)
from kling_nb.specs.rows.aimlapi_kling_o1_edit import (
    KlingO1EditAIML as KlingO1EditAIML,
)
from kling_nb.specs.rows.aimlapi_kling_o1_video_reference import (
    KlingO1VideoReferenceAIML as KlingO1VideoReferenceAIML,
)
from kling_nb.specs.rows.leonardo_kling_2_1_pro import (
    Kling21Pro as Kling21Pro,
)
from kling_nb.specs.rows.leonardo_kling_2_5_turbo import (
    Kling25Turbo as Kling25Turbo,
)
from kling_nb.specs.rows.leonardo_kling_2_6 import (
    Kling26 as Kling26,
)
from kling_nb.specs.rows.leonardo_kling_3_0 import (
    Kling30 as Kling30,
)
from kling_nb.specs.rows.leonardo_kling_3_0_turbo import (
    Kling30Turbo as Kling30Turbo,
)
from kling_nb.specs.rows.leonardo_kling_4_0 import (
    Kling40 as Kling40,
)
from kling_nb.specs.rows.leonardo_kling_o1 import (
    KlingO1 as KlingO1,
)
from kling_nb.specs.rows.leonardo_kling_o3 import (
    KlingO3 as KlingO3,
)
