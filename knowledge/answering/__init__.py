"""Choosing the answer: the question's shape, sentence scoring, verification and confidence."""
