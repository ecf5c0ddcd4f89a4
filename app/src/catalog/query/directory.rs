//! The directories' query (institutions, evaluation organisations), parsed like the course
//! search.

use super::{push_code, PageAsked};
use crate::error::{AppError, FieldErrors, FieldProblem};
use crate::reference::{City, Industry};

/// A directory's query: cities and industries (each repeatable, OR-ed) and the page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct DirectoryQuery {
    #[cfg_attr(feature = "ssr", param(required = false))]
    pub city: Vec<City>,
    #[cfg_attr(feature = "ssr", param(required = false))]
    pub industry: Vec<Industry>,
    #[cfg_attr(feature = "ssr", param(required = false, default = 1, minimum = 1))]
    pub page: u32,
    #[cfg_attr(
        feature = "ssr",
        param(required = false, default = 20, minimum = 1, maximum = 100)
    )]
    pub per_page: u32,
}

impl DirectoryQuery {
    pub fn parse<'a, I>(pairs: I) -> Result<DirectoryQuery, AppError>
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        let (mut city, mut industry) = (Vec::new(), Vec::new());
        let mut errors = FieldErrors::default();
        let mut paging = PageAsked::default();
        for (key, value) in pairs {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match key {
                "city" => push_code(&mut city, key, value, &mut errors),
                "industry" => push_code(&mut industry, key, value, &mut errors),
                _ if paging.take(key, value, &mut errors) => {}
                _ => errors.add(
                    key.chars().take(40).collect::<String>(),
                    FieldProblem::UnknownParameter,
                ),
            }
        }
        let (page, per_page) = paging.get();
        let query = DirectoryQuery {
            city,
            industry,
            page,
            per_page,
        };
        errors.into_result(query)
    }
}
