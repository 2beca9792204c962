"""The floor: errors, HTML/text fragments and small helpers; imports nothing else of kling_nb.

Every layer above may import it; it knows no kling_nb type (objects render themselves on it).
"""
