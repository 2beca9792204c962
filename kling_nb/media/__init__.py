"""Local media: contact sheets (a strip of frames) of downloaded videos, beside the mp4.

Imports ``kling_nb.core`` only; PyAV and Pillow are imported lazily inside the extraction, so
``import kling_nb`` (and every layer that merely names a sheet) stays free of them. It sits
below ``specs`` so that ``Result.contact_sheet()`` can make one without an upward import.
"""
