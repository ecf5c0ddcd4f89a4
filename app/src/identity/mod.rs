//! Who a person is, as the rules see it: the resident identity number, the mobile number,
//! the name as shown to others, and the password policy. Pure functions over plain data, readable by a policy officer.

mod id_number;
mod name;
mod password;
mod phone;

pub use id_number::{age_on, check_character, mask_id, IdProblem, ResidentId, Sex};
pub use name::{check_name, mask_name, same_name, NameProblem, MAX_NAME_CHARS};
pub use password::{check_password, PasswordProblem, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
pub use phone::{mask_phone, parse_mobile, PhoneProblem};
