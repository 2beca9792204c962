"""kling_nb: Kling video models on Leonardo.AI and the AI/ML API, from a notebook."""
