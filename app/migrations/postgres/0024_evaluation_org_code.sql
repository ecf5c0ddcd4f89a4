-- Evaluation organisations get an identifier (issue 18): the catalogue file's optional
-- `evaluation_org_code`, else one derived from the name (`catalog::directory`). Rows stored
-- before have none: they are read with the derived one.
ALTER TABLE courses ADD COLUMN evaluation_org_code TEXT;
CREATE INDEX courses_evaluation_org ON courses (evaluation_org);
