package demo

func (s *seeder) rhythm() error { return nil }
