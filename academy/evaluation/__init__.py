"""Course evaluation: the anonymous satisfaction questionnaire and the scored final learning test."""
