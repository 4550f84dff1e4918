// Answers the rules' examples share: a booking flow from the guest to the database.
export const BOOK = '### Workflow: Book\n- Guest -> API Gateway: POST /bookings\n- API Gateway -> Booking Service: create booking';
export const BOOK_DB = `${BOOK}\n- Booking Service -> Booking DB: insert booking`;
export const LISTED = '- Guest [client]: app\n- API Gateway [gateway]: routing, two instances behind DNS\n- Booking Service: bookings';
export const LISTED_DB = `${LISTED}\n- Booking DB [database]: bookings in Postgres`;
